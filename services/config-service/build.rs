//! Rebuilds the crate when a migration changes, since `sqlx::migrate!` embeds `migrations/`.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
