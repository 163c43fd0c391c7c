//! VAT regimes against the line and the customer (field case 10, the whole kind): a regime other
//! than standard charges no VAT, intra-EU needs a valid VAT number of another EU country, Belgian
//! reverse charge (medecontractant) needs a valid Belgian VAT number.

use ox_domain::country;
use ox_domain::money::{format_cents, format_percent};
use ox_domain::vat_number::{VatNumber, VatNumberError, parse_vat_number};
use ox_proto::mapping::v1::InvoiceToMap;
use ox_proto::planmanager::v1::Invoice;

use crate::domain::invoice_error::InvoiceError;
use crate::domain::lines::ParsedLine;
use crate::domain::profile::Regime;

/// Checks every line's regime against its rate and printed VAT, and the customer's VAT number
/// against the regimes the invoice uses.
pub fn check_regimes(
    item: &InvoiceToMap,
    invoice: &Invoice,
    lines: &[ParsedLine],
) -> Result<(), InvoiceError> {
    for line in lines {
        if line.regime == Regime::Standard {
            continue;
        }
        let what = if !line.rate.is_zero() {
            format!("has VAT rate {} %", format_percent(line.rate))
        } else {
            match line.printed_vat {
                Some(vat) if !vat.is_zero() => {
                    format!("PlanManager printed VAT {} on it", format_cents(vat))
                }
                _ => continue,
            }
        };
        return Err(InvoiceError::RegimeCharges {
            line: line.seq,
            regime: line.regime.label(),
            what,
        });
    }
    let uses = |regime: Regime| lines.iter().any(|line| line.regime == regime);
    if uses(Regime::IntraEu) {
        check_intra_eu(item, invoice)?;
    }
    if uses(Regime::ReverseChargeBe) {
        check_reverse_charge(item, invoice)?;
    }
    Ok(())
}

/// Intra-EU VAT needs a valid VAT number of an EU country other than Belgium.
pub fn check_intra_eu(item: &InvoiceToMap, invoice: &Invoice) -> Result<(), InvoiceError> {
    let detail = match customer_vat(item) {
        Ok(Some(vat)) if vat.is_eu() && !vat.is_belgian() => return Ok(()),
        Ok(Some(vat)) if vat.is_belgian() => {
            format!("has the Belgian VAT number {}", vat.to_octopus())
        }
        Ok(Some(vat)) => format!(
            "has VAT number {}, which is not from an EU country",
            vat.compact()
        ),
        Ok(None) => "has no VAT number".to_owned(),
        Err(error) => format!("has an invalid VAT number ({error})"),
    };
    Err(InvoiceError::IntraEuNeedsVat {
        customer: invoice.customer_id,
        detail,
    })
}

/// Belgian reverse charge needs the customer's valid Belgian VAT number.
pub fn check_reverse_charge(item: &InvoiceToMap, invoice: &Invoice) -> Result<(), InvoiceError> {
    let detail = match customer_vat(item) {
        Ok(Some(vat)) if vat.is_belgian() => return Ok(()),
        Ok(Some(vat)) => format!("has the foreign VAT number {}", vat.compact()),
        Ok(None) => "has no VAT number".to_owned(),
        Err(error) => format!("has an invalid VAT number ({error})"),
    };
    Err(InvoiceError::ReverseChargeNeedsVat {
        customer: invoice.customer_id,
        detail,
    })
}

fn customer_vat(item: &InvoiceToMap) -> Result<Option<VatNumber>, VatNumberError> {
    let country = country::iso2_from_name(&item.customer_country);
    parse_vat_number(&item.customer_vat_nr, country)
}

#[cfg(test)]
mod tests {
    use ox_proto::gateway::v1::RelationRef;
    use rust_decimal::Decimal;

    use super::*;

    fn invoice() -> Invoice {
        Invoice {
            customer_id: 1001,
            ..Default::default()
        }
    }

    fn item(vat: &str, country: &str) -> InvoiceToMap {
        InvoiceToMap {
            customer_vat_nr: vat.into(),
            customer_country: country.into(),
            relation: Some(RelationRef {
                relation_key: 0,
                external_relation_id: 1001,
            }),
            ..Default::default()
        }
    }

    fn line(seq: i32, rate: i64, vat: Option<&str>, regime: Regime) -> ParsedLine {
        ParsedLine {
            seq,
            base: Decimal::from(100),
            rate: Decimal::from(rate),
            printed_vat: vat.map(|v| v.parse().unwrap()),
            regime,
            account: 700000,
        }
    }

    #[test]
    fn needs_a_foreign_eu_vat_number_for_intra_eu_vat() {
        let inv = invoice();
        assert!(check_intra_eu(&item("NL161803398B01", "NL"), &inv).is_ok());
        assert!(check_intra_eu(&item("161803398B01", "Nederland"), &inv).is_ok());
        let detail = |vat: &str, country: &str| match check_intra_eu(&item(vat, country), &inv) {
            Err(InvoiceError::IntraEuNeedsVat { detail, .. }) => detail,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            detail("BE0412.345.614", "BE"),
            "has the Belgian VAT number BE0412.345.614"
        );
        assert_eq!(detail("", "NL"), "has no VAT number");
        assert!(
            detail("NL1234", "NL")
                .starts_with("has an invalid VAT number (NL1234 is not a valid NL")
        );
        assert!(detail("CHE123456789", "CH").ends_with("which is not from an EU country"));
        assert_eq!(
            check_intra_eu(&item("", "BE"), &inv)
                .unwrap_err()
                .to_string(),
            "intra-EU VAT needs a valid VAT number of another EU country on the customer, but \
             customer 1001 has no VAT number"
        );
    }

    #[test]
    fn needs_a_belgian_vat_number_for_reverse_charge() {
        let inv = invoice();
        assert!(check_reverse_charge(&item("0412.345.614", "BE"), &inv).is_ok());
        assert_eq!(
            check_reverse_charge(&item("", "BE"), &inv)
                .unwrap_err()
                .to_string(),
            "Belgian reverse charge (medecontractant) needs a valid Belgian VAT number on the \
             customer, but customer 1001 has no VAT number"
        );
        assert!(matches!(
            check_reverse_charge(&item("NL161803398B01", "NL"), &inv),
            Err(InvoiceError::ReverseChargeNeedsVat { .. })
        ));
        assert!(matches!(
            check_reverse_charge(&item("BE0412345615", "BE"), &inv),
            Err(InvoiceError::ReverseChargeNeedsVat { .. })
        ));
    }

    #[test]
    fn refuses_vat_under_a_regime_that_charges_none() {
        let (inv, be) = (invoice(), item("BE0412345614", "BE"));
        assert!(check_regimes(&be, &inv, &[line(1, 0, Some("0"), Regime::Exempt)]).is_ok());
        assert!(check_regimes(&be, &inv, &[line(1, 21, None, Regime::Standard)]).is_ok());
        assert_eq!(
            check_regimes(&be, &inv, &[line(2, 21, Some("0"), Regime::Export)])
                .unwrap_err()
                .to_string(),
            "line 2 is marked export, which charges no VAT, but has VAT rate 21 %: set the rate to \
             0 % or the regime to standard in PlanManager"
        );
        assert_eq!(
            check_regimes(&be, &inv, &[line(3, 0, Some("2.1"), Regime::Exempt)])
                .unwrap_err()
                .to_string(),
            "line 3 is marked exempt, which charges no VAT, but PlanManager printed VAT 2.10 on it: \
             set the rate to 0 % or the regime to standard in PlanManager"
        );
        let reverse = [line(1, 0, None, Regime::ReverseChargeBe)];
        assert!(check_regimes(&be, &inv, &reverse).is_ok());
        assert!(check_regimes(&item("", "BE"), &inv, &reverse).is_err());
    }
}
