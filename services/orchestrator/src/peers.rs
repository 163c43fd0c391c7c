//! Clients of the four services the orchestrator drives, each over its own lazy gRPC channel.

use ox_proto::config::v1::config_service_client::ConfigServiceClient;
use ox_proto::gateway::v1::octopus_gateway_client::OctopusGatewayClient;
use ox_proto::mapping::v1::journal_mapper_client::JournalMapperClient;
use ox_proto::planmanager::v1::plan_manager_reader_client::PlanManagerReaderClient;
use tonic::transport::Channel;

use crate::config::Peers;
use crate::error::OrchestratorError;

/// Cheap-to-clone clients of every peer.
#[derive(Debug, Clone)]
pub struct PeerClients {
    pub config: ConfigServiceClient<Channel>,
    pub reader: PlanManagerReaderClient<Channel>,
    pub mapper: JournalMapperClient<Channel>,
    pub gateway: OctopusGatewayClient<Channel>,
}

impl PeerClients {
    /// Builds lazy clients; nothing connects until the first call.
    pub fn new(peers: &Peers) -> Result<Self, OrchestratorError> {
        Ok(Self {
            config: ConfigServiceClient::new(ox_kit::channel(&peers.config_service)?),
            reader: PlanManagerReaderClient::new(ox_kit::channel(&peers.planmanager_reader)?)
                .max_decoding_message_size(64 * 1024 * 1024),
            mapper: JournalMapperClient::new(ox_kit::channel(&peers.journal_mapper)?)
                .max_decoding_message_size(64 * 1024 * 1024)
                .max_encoding_message_size(64 * 1024 * 1024),
            // The gateway scales on its own: a comma-separated list of replicas is balanced.
            gateway: OctopusGatewayClient::new(ox_kit::balanced_channel(&peers.octopus_gateway)?)
                .max_decoding_message_size(64 * 1024 * 1024),
        })
    }
}
