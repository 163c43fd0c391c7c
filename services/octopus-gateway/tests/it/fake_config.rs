//! A fake config-service that resolves tenant "t1" to the fake Octopus's credentials.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use ox_proto::config::v1::config_service_server::{ConfigService, ConfigServiceServer};
use ox_proto::config::v1::*;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status};

use crate::fake_octopus::{PASSWORD, SOFTWARE_HOUSE, USER};

pub const TENANT: &str = "t1";

#[derive(Debug)]
pub struct FakeConfig {
    pub base_url: String,
    pub password: Mutex<String>,
    pub resolves: AtomicU32,
}

impl FakeConfig {
    pub fn resolves(&self) -> u32 {
        self.resolves.load(Ordering::SeqCst)
    }

    pub fn set_password(&self, password: &str) {
        *self.password.lock().unwrap() = password.to_owned();
    }
}

#[derive(Debug, Clone)]
struct Service(Arc<FakeConfig>);

/// Starts the fake on 127.0.0.1:0.
pub async fn start(base_url: String) -> (Arc<FakeConfig>, SocketAddr) {
    let config = Arc::new(FakeConfig {
        base_url,
        password: Mutex::new(PASSWORD.to_owned()),
        resolves: AtomicU32::new(0),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = Server::builder()
        .add_service(ConfigServiceServer::new(Service(config.clone())))
        .serve_with_incoming(TcpIncoming::from(listener));
    tokio::spawn(server);
    (config, addr)
}

#[tonic::async_trait]
impl ConfigService for Service {
    async fn upsert_tenant(
        &self,
        _: Request<UpsertTenantRequest>,
    ) -> Result<Response<UpsertTenantResponse>, Status> {
        Err(Status::unimplemented("not in the fake"))
    }

    async fn set_credentials(
        &self,
        _: Request<SetCredentialsRequest>,
    ) -> Result<Response<SetCredentialsResponse>, Status> {
        Err(Status::unimplemented("not in the fake"))
    }

    async fn get_export_profile(
        &self,
        _: Request<GetExportProfileRequest>,
    ) -> Result<Response<GetExportProfileResponse>, Status> {
        Err(Status::unimplemented("not in the fake"))
    }

    async fn resolve_credentials(
        &self,
        request: Request<ResolveCredentialsRequest>,
    ) -> Result<Response<ResolveCredentialsResponse>, Status> {
        self.0.resolves.fetch_add(1, Ordering::SeqCst);
        let tenant = request.into_inner().tenant_id;
        if tenant != TENANT {
            return Err(Status::not_found(format!("unknown tenant {tenant}")));
        }
        Ok(Response::new(ResolveCredentialsResponse {
            octopus_base_url: self.0.base_url.clone(),
            software_house_uuid: SOFTWARE_HOUSE.to_owned(),
            user: USER.to_owned(),
            password: self.0.password.lock().unwrap().clone(),
        }))
    }
}
