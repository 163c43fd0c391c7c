//! The `planmanager.v1.PlanManagerReader` gRPC adapter: converts requests, calls `db`, converts back.

use std::pin::Pin;

use ox_proto::planmanager::v1 as pb;
use ox_proto::planmanager::v1::plan_manager_reader_server::PlanManagerReader;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::{Stream, StreamExt as _};
use tonic::{Request, Response, Status};

use crate::db::{Pool, catalog, customers, exports, invoices};
use crate::error::ReaderError;
use crate::model::{CustomerItem, InvoiceFilter, InvoiceItem};

/// Items buffered between the database task and the client; the client's pace limits reading.
const STREAM_BUFFER: usize = 64;

type ResponseStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

/// The service implementation; cheap to clone (it holds the pool).
#[derive(Clone)]
pub struct ReaderGrpc {
    pool: Pool,
}

impl ReaderGrpc {
    /// Serves PlanManager's database behind `pool`.
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }
}

fn to_u32(count: u64) -> u32 {
    u32::try_from(count).unwrap_or(u32::MAX)
}

fn filter_of(filter: Option<pb::InvoiceFilter>) -> Result<InvoiceFilter, Status> {
    Ok(InvoiceFilter::try_from(filter.unwrap_or_default())?)
}

fn invoice_response(
    item: Result<InvoiceItem, ReaderError>,
) -> Result<pb::StreamInvoicesResponse, Status> {
    use pb::stream_invoices_response::Item;
    let item = match item? {
        InvoiceItem::Invoice(invoice) => Item::Invoice(pb::Invoice::from(*invoice)),
        InvoiceItem::Problem(problem) => Item::Problem(problem.into()),
    };
    Ok(pb::StreamInvoicesResponse { item: Some(item) })
}

fn customer_response(
    item: Result<CustomerItem, ReaderError>,
) -> Result<pb::StreamCustomersResponse, Status> {
    use pb::stream_customers_response::Item;
    let item = match item? {
        CustomerItem::Customer(customer) => Item::Customer(pb::Customer::from(*customer)),
        CustomerItem::Problem(problem) => Item::Problem(problem.into()),
    };
    Ok(pb::StreamCustomersResponse { item: Some(item) })
}

#[tonic::async_trait]
impl PlanManagerReader for ReaderGrpc {
    #[tracing::instrument(skip_all)]
    async fn list_locations(
        &self,
        _request: Request<pb::ListLocationsRequest>,
    ) -> Result<Response<pb::ListLocationsResponse>, Status> {
        let locations = catalog::list_locations(&self.pool).await?;
        Ok(Response::new(pb::ListLocationsResponse {
            locations: locations.into_iter().map(Into::into).collect(),
        }))
    }

    #[tracing::instrument(skip_all, fields(location = %request.get_ref().location_name))]
    async fn list_journals(
        &self,
        request: Request<pb::ListJournalsRequest>,
    ) -> Result<Response<pb::ListJournalsResponse>, Status> {
        let list = catalog::list_journals(&self.pool, &request.get_ref().location_name).await?;
        Ok(Response::new(pb::ListJournalsResponse {
            journals: list.journals.into_iter().map(Into::into).collect(),
            problems: list.problems.into_iter().map(Into::into).collect(),
        }))
    }

    type StreamInvoicesStream = ResponseStream<pb::StreamInvoicesResponse>;

    #[tracing::instrument(skip_all)]
    async fn stream_invoices(
        &self,
        request: Request<pb::StreamInvoicesRequest>,
    ) -> Result<Response<Self::StreamInvoicesStream>, Status> {
        let filter = filter_of(request.into_inner().filter)?;
        // Resolved before streaming so a bad location or journal code is a clean error status.
        let selection = catalog::select_journals(&self.pool, &filter).await?;
        let (sink, items) = mpsc::channel(STREAM_BUFFER);
        tokio::spawn(invoices::stream_invoices(
            self.pool.clone(),
            selection,
            filter,
            sink,
        ));
        let stream = ReceiverStream::new(items).map(invoice_response);
        Ok(Response::new(Box::pin(stream)))
    }

    type StreamCustomersStream = ResponseStream<pb::StreamCustomersResponse>;

    #[tracing::instrument(skip_all, fields(ids = request.get_ref().ids.len()))]
    async fn stream_customers(
        &self,
        request: Request<pb::StreamCustomersRequest>,
    ) -> Result<Response<Self::StreamCustomersStream>, Status> {
        let ids = request.into_inner().ids;
        let (sink, items) = mpsc::channel(STREAM_BUFFER);
        tokio::spawn(customers::stream_customers(self.pool.clone(), ids, sink));
        let stream = ReceiverStream::new(items).map(customer_response);
        Ok(Response::new(Box::pin(stream)))
    }

    #[tracing::instrument(skip_all)]
    async fn list_gl_accounts(
        &self,
        _request: Request<pb::ListGlAccountsRequest>,
    ) -> Result<Response<pb::ListGlAccountsResponse>, Status> {
        let accounts = catalog::list_gl_accounts(&self.pool).await?;
        Ok(Response::new(pb::ListGlAccountsResponse {
            accounts: accounts.into_iter().map(Into::into).collect(),
        }))
    }

    #[tracing::instrument(skip_all, fields(run_id = %request.get_ref().run_id, invoices = request.get_ref().invoice_ids.len()))]
    async fn mark_exported(
        &self,
        request: Request<pb::MarkExportedRequest>,
    ) -> Result<Response<pb::MarkExportedResponse>, Status> {
        let request = request.into_inner();
        let marked =
            exports::mark_exported(&self.pool, &request.invoice_ids, &request.run_id).await?;
        Ok(Response::new(pb::MarkExportedResponse {
            marked: to_u32(marked),
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn requeue(
        &self,
        request: Request<pb::RequeueRequest>,
    ) -> Result<Response<pb::RequeueResponse>, Status> {
        let filter = filter_of(request.into_inner().filter)?;
        let selection = catalog::select_journals(&self.pool, &filter).await?;
        let requeued = exports::requeue(&self.pool, &selection, &filter).await?;
        Ok(Response::new(pb::RequeueResponse {
            requeued: to_u32(requeued),
        }))
    }
}
