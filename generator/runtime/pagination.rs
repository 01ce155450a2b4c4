//! Pagination: a stream of items that follows an operation's pages by itself.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::call::Call;
use super::client::Client;
use super::error::Error;
use super::request::Request;

/// One decoded page, as the stream sees it: its items and how to ask for the next one.
pub(crate) struct Page<I> {
    /// The page's items, in order.
    pub(crate) items: Vec<I>,
    /// How to ask for the next page; `None` when this is the last one.
    pub(crate) next: Option<NextPage>,
}

/// How the next page is asked for.
pub(crate) enum NextPage {
    /// The same request with a query parameter set to a value from the page (a cursor, a
    /// token, the last item's id).
    Query(&'static str, String),
    /// A link to the next page (absolute, or relative to the page's URL).
    Link(String),
    /// The page number parameter, one more than this page's (`first` when the request had none).
    PageNumber(&'static str, i64),
    /// The offset parameter, moved past this page's items.
    Offset(&'static str),
}

/// Fetches one page: the operation's call with the page's request, decoded and split.
type FetchPage<'c, I, E> = Box<dyn Fn(Request) -> PageFuture<'c, I, E> + Send + Sync + 'c>;

/// The future of one page.
type PageFuture<'c, I, E> = Pin<Box<dyn Future<Output = Result<Page<I>, Error<E>>> + Send + 'c>>;

/// The items of every page of a paginated operation, fetched one page at a time as the stream
/// is read. It ends after the last page, on an empty page, or when a page points back to the
/// page just read; an error is yielded, and ends it.
///
/// A [`Stream`]; [`next_item`](Self::next_item) reads it without a stream library.
///
/// ```no_run
/// # async fn example(stream: __crate__::ItemStream<'_, String, std::convert::Infallible>) {
/// let mut items = stream;
/// while let Some(item) = items.next_item().await {
///     match item {
///         Ok(item) => println!("{item}"),
///         Err(error) => eprintln!("{error}"),
///     }
/// }
/// # }
/// ```
#[must_use = "a stream does nothing until it is read"]
pub struct ItemStream<'c, I, E> {
    client: &'c Client,
    fetch: FetchPage<'c, I, E>,
    buffered: VecDeque<I>,
    /// The request for the next page, when there is one to fetch.
    next: Option<Request>,
    /// The page being fetched, and a copy of the request it was fetched with.
    fetching: Option<(PageFuture<'c, I, E>, Request)>,
}

impl<'c, I, E> ItemStream<'c, I, E> {
    /// The items of `first`'s page and of every page after it; `split` takes a decoded page
    /// apart.
    pub(crate) fn new<T: 'c>(first: Call<'c, T, E>, split: fn(T) -> Page<I>) -> Self
    where
        E: 'c,
        I: 'c,
    {
        let client = first.client();
        let (request, again) = first.into_pages();
        let fetch: FetchPage<'c, I, E> = Box::new(move |request| {
            let call = again(request);
            Box::pin(async move { call.await.map(split) })
        });
        Self {
            client,
            fetch,
            buffered: VecDeque::new(),
            next: Some(request),
            fetching: None,
        }
    }

    /// The next item, or `None` after the last page.
    pub async fn next_item(&mut self) -> Option<Result<I, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The request for the page after the one `request` fetched, which had `page_len` items.
    fn following(&self, request: &Request, page_len: usize, next: NextPage) -> Option<Request> {
        let following = match next {
            NextPage::Query(name, value) => {
                if request.query_value(name) == Some(value.as_str()) {
                    return None;
                }
                request.with_query(name, value)?
            }
            NextPage::Link(link) => {
                let current = if request.path.starts_with("http://")
                    || request.path.starts_with("https://")
                {
                    reqwest::Url::parse(&request.path).ok()?
                } else {
                    reqwest::Url::parse(&format!("{}{}", self.client.base_url(), request.path))
                        .ok()?
                };
                let url = current.join(&link).ok()?;
                if url == current {
                    return None;
                }
                let mut following = Request::new(request.method.clone(), url.to_string());
                following.headers = request.headers.clone();
                following
            }
            NextPage::PageNumber(name, first) => {
                let current = request
                    .query_value(name)
                    .and_then(|value| value.parse::<i64>().ok())
                    .unwrap_or(first);
                request.with_query(name, current.saturating_add(1).to_string())?
            }
            NextPage::Offset(name) => {
                let current = request
                    .query_value(name)
                    .and_then(|value| value.parse::<u64>().ok())
                    .unwrap_or(0);
                let moved = current.saturating_add(u64::try_from(page_len).unwrap_or(u64::MAX));
                request.with_query(name, moved.to_string())?
            }
        };
        Some(following)
    }
}

impl<I, E> Stream for ItemStream<'_, I, E> {
    type Item = Result<I, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.fetching.is_none() {
                let Some(request) = this.next.take() else {
                    return Poll::Ready(None);
                };
                let Some(copy) = request.try_clone() else {
                    return Poll::Ready(None);
                };
                this.fetching = Some(((this.fetch)(request), copy));
            }
            let Some((fetching, _)) = this.fetching.as_mut() else {
                return Poll::Ready(None);
            };
            let Poll::Ready(page) = fetching.as_mut().poll(cx) else {
                return Poll::Pending;
            };
            let Some((_, request)) = this.fetching.take() else {
                return Poll::Ready(None);
            };
            let page = match page {
                Ok(page) => page,
                Err(error) => return Poll::Ready(Some(Err(error))),
            };
            let len = page.items.len();
            this.next = match page.next {
                Some(next) if len > 0 => this.following(&request, len, next),
                _ => None,
            };
            this.buffered.extend(page.items);
        }
    }
}

/// The stream is never pinned in place: its parts are boxed or moved freely.
impl<I, E> Unpin for ItemStream<'_, I, E> {}

impl<I, E> std::fmt::Debug for ItemStream<'_, I, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemStream")
            .field("buffered", &self.buffered.len())
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::auth::ApiDescription;
    use crate::runtime::client::ClientBuilder;
    use crate::runtime::error::Error;
    use crate::runtime::response::RawResponse;
    use reqwest::Method;

    static API: ApiDescription = ApiDescription {
        base_url: "http://127.0.0.1:1/api",
        schemes: &[],
        env_credential: None,
    };

    fn no_items(_: RawResponse) -> Result<Vec<u8>, Error<std::convert::Infallible>> {
        Ok(Vec::new())
    }

    fn split(items: Vec<u8>) -> Page<u8> {
        Page { items, next: None }
    }

    #[test]
    fn each_way_of_paging_makes_the_next_request() {
        let client = ClientBuilder::new(&API).build().unwrap();
        let stream = ItemStream::new(
            Call::new(&client, None, Request::new(Method::GET, "/x"), no_items),
            split,
        );
        let request = Request::new(Method::GET, "/items")
            .query("cursor", "a")
            .query("page", "3")
            .query("offset", "10");
        let query = |request: Option<Request>| -> Vec<(String, String)> {
            let request = request.unwrap();
            let mut pairs: Vec<(String, String)> = request
                .query
                .iter()
                .map(|(name, value)| (name.to_string(), value.clone()))
                .collect();
            pairs.insert(0, ("path".to_owned(), request.path));
            pairs
        };
        let next = stream.following(&request, 2, NextPage::Query("cursor", "b".to_owned()));
        assert!(query(next).contains(&("cursor".to_owned(), "b".to_owned())));
        let next = stream.following(&request, 2, NextPage::PageNumber("page", 1));
        assert!(query(next).contains(&("page".to_owned(), "4".to_owned())));
        let next = stream.following(&request, 5, NextPage::Offset("offset"));
        assert!(query(next).contains(&("offset".to_owned(), "15".to_owned())));
        let next = stream.following(&request, 2, NextPage::Link("next?c=2".to_owned()));
        assert_eq!(query(next)[0].1, "http://127.0.0.1:1/api/next?c=2");
        let fresh = Request::new(Method::GET, "/items");
        let next = stream.following(&fresh, 2, NextPage::PageNumber("page", 1));
        assert!(query(next).contains(&("page".to_owned(), "2".to_owned())));
    }

    #[test]
    fn a_page_that_points_to_itself_ends_the_stream() {
        let client = ClientBuilder::new(&API).build().unwrap();
        let stream = ItemStream::new(
            Call::new(&client, None, Request::new(Method::GET, "/x"), no_items),
            split,
        );
        let request = Request::new(Method::GET, "/items").query("cursor", "a");
        assert!(
            stream
                .following(&request, 1, NextPage::Query("cursor", "a".to_owned()))
                .is_none()
        );
        let linked = Request::new(Method::GET, "http://127.0.0.1:1/api/items?cursor=a");
        assert!(
            stream
                .following(&linked, 1, NextPage::Link("/api/items?cursor=a".to_owned()))
                .is_none()
        );
    }
}
