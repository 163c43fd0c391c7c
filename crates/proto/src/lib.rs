//! Generated message types, clients and servers for every contract in `proto/`.
#![allow(clippy::doc_lazy_continuation, clippy::large_enum_variant)]

/// The encoded descriptors of every contract, for gRPC reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/descriptors.bin"));

pub mod config {
    pub mod v1 {
        tonic::include_proto!("config.v1");
    }
}

pub mod config_admin {
    pub mod v1 {
        tonic::include_proto!("config_admin.v1");
    }
}

pub mod planmanager {
    pub mod v1 {
        tonic::include_proto!("planmanager.v1");
    }
}

pub mod gateway {
    pub mod v1 {
        tonic::include_proto!("gateway.v1");
    }
}

pub mod mapping {
    pub mod v1 {
        tonic::include_proto!("mapping.v1");
    }
}

pub mod orchestrator {
    pub mod v1 {
        tonic::include_proto!("orchestrator.v1");
    }
}
