//! Name keys ignore word order, case and legal forms, and never match empty names.

use ox_domain::names::{name_key, same_party_name};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn word_order_case_and_legal_form_do_not_matter(
        words in prop::collection::vec("[A-Za-zÀ-ÿ]{2,10}", 1..5),
        form in prop::sample::select(vec!["", " NV", " B.V.", " sa", " GmbH"]),
    ) {
        let forward = words.join(" ");
        let mut reversed = words.clone();
        reversed.reverse();
        let backward = format!("{}{form}", reversed.join(", ").to_uppercase());
        if !name_key(&forward).is_empty() {
            prop_assert!(same_party_name(&forward, &backward), "{} / {}", forward, backward);
        }
    }

    #[test]
    fn any_text_gives_a_key_without_panicking(text in any::<String>()) {
        let key = name_key(&text);
        prop_assert_eq!(name_key(&key), key.clone());
        prop_assert!(!same_party_name("", &text));
    }
}
