//! Compiles every contract under the workspace `proto/` tree into Rust, without a system `protoc`.

use std::path::PathBuf;

use prost::Message as _;

const PROTOS: &[&str] = &[
    "config/v1/config.proto",
    "config_admin/v1/config_admin.proto",
    "planmanager/v1/planmanager.proto",
    "gateway/v1/gateway.proto",
    "mapping/v1/mapping.proto",
    "orchestrator/v1/orchestrator.proto",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto_root = "../../proto";
    // tonic-prost-build stores but never forwards `emit_rerun_if_changed`; say it ourselves.
    println!("cargo:rerun-if-changed={proto_root}");
    let descriptors = protox::compile(PROTOS, [proto_root])?;
    // The encoded set feeds gRPC reflection in every service.
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(out_dir.join("descriptors.bin"), descriptors.encode_to_vec())?;
    tonic_prost_build::configure().compile_fds(descriptors)?;
    Ok(())
}
