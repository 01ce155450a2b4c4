//! Form (`application/x-www-form-urlencoded`) and multipart (`multipart/form-data`) bodies:
//! operation methods add the fields of the body's struct to a [`Form`], which encodes them as
//! the media type says. Files are [`FilePart`]s, with the file name and content type their part
//! carries.
//!
//! The encoders are written here rather than taken from reqwest's `multipart` feature: a body
//! is then plain bytes like every other, so it is retried, hooked and logged the same way, and
//! the crate needs no further dependency.

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};

/// A file sent in a form or multipart body: its bytes, and the file name and content type its
/// part says. Without a file name, the part is named after its field; without a content type,
/// it is `application/octet-stream`.
///
/// ```
/// use __crate__::FilePart;
///
/// let photo = FilePart::new(vec![0x89, b'P', b'N', b'G'])
///     .with_file_name("cat.png")
///     .with_content_type("image/png");
/// assert_eq!(photo.file_name.as_deref(), Some("cat.png"));
/// let plain: FilePart = b"hello".to_vec().into();
/// assert_eq!(plain.bytes, b"hello");
/// ```
///
/// In a JSON body (where the spec uses the same schema) it is written as its bytes, as a
/// `Vec<u8>` is.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct FilePart {
    /// The file's contents.
    pub bytes: Vec<u8>,
    /// The file name sent in the part's `Content-Disposition`.
    pub file_name: Option<String>,
    /// The part's `Content-Type`.
    pub content_type: Option<String>,
}

impl FilePart {
    /// A file with these contents, no file name and no content type.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name.
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the content type, such as `image/png`.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

impl From<&[u8]> for FilePart {
    fn from(bytes: &[u8]) -> Self {
        Self::new(bytes)
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl serde::Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.bytes.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<u8>::deserialize(deserializer).map(Self::new)
    }
}

/// The value of one field.
enum Value {
    /// Text, with the part's content type in a multipart body (`application/json` for objects).
    Text {
        text: String,
        content_type: Option<&'static str>,
    },
    /// A file.
    File {
        bytes: Vec<u8>,
        file_name: Option<String>,
        content_type: Option<String>,
    },
}

/// The fields of a form or multipart body, in the order they are sent.
pub(crate) struct Form {
    /// The body's media type, as the spec writes it.
    media_type: &'static str,
    multipart: bool,
    fields: Vec<(&'static str, Value)>,
}

impl Form {
    /// An `application/x-www-form-urlencoded` body, sent with `media_type`.
    pub(crate) fn urlencoded(media_type: &'static str) -> Self {
        Self {
            media_type,
            multipart: false,
            fields: Vec::new(),
        }
    }

    /// A `multipart/form-data` body, sent with `media_type` and a boundary.
    pub(crate) fn multipart(media_type: &'static str) -> Self {
        Self {
            media_type,
            multipart: true,
            fields: Vec::new(),
        }
    }

    /// Adds a text field.
    pub(crate) fn text(&mut self, name: &'static str, text: String) {
        self.fields.push((
            name,
            Value::Text {
                text,
                content_type: None,
            },
        ));
    }

    /// Adds a text field whose multipart part has this content type (`application/json` for an
    /// object written as JSON).
    pub(crate) fn typed_text(
        &mut self,
        name: &'static str,
        text: String,
        content_type: &'static str,
    ) {
        self.fields.push((
            name,
            Value::Text {
                text,
                content_type: Some(content_type),
            },
        ));
    }

    /// Adds a file; `content_type` is the spec's for this field, used when the file has none.
    pub(crate) fn file(
        &mut self,
        name: &'static str,
        file: &FilePart,
        content_type: Option<&'static str>,
    ) {
        self.fields.push((
            name,
            Value::File {
                bytes: file.bytes.clone(),
                file_name: file.file_name.clone(),
                content_type: file
                    .content_type
                    .clone()
                    .or_else(|| content_type.map(str::to_owned)),
            },
        ));
    }

    /// The body's `Content-Type` and bytes.
    pub(crate) fn encode(self) -> (String, Vec<u8>) {
        if self.multipart {
            self.encode_multipart()
        } else {
            self.encode_urlencoded()
        }
    }

    /// `name=value&…`, both percent-encoded as HTML forms are (a space is `+`).
    fn encode_urlencoded(self) -> (String, Vec<u8>) {
        let mut encoded = String::new();
        for (name, value) in &self.fields {
            if !encoded.is_empty() {
                encoded.push('&');
            }
            let value: &[u8] = match value {
                Value::Text { text, .. } => text.as_bytes(),
                Value::File { bytes, .. } => bytes,
            };
            encoded.push_str(&form_encode(name.as_bytes()));
            encoded.push('=');
            encoded.push_str(&form_encode(value));
        }
        (self.media_type.to_owned(), encoded.into_bytes())
    }

    /// One part per field, between boundaries that occur in no part.
    fn encode_multipart(self) -> (String, Vec<u8>) {
        let boundary = loop {
            let candidate = boundary();
            let clashes = self.fields.iter().any(|(_, value)| {
                let contents: &[u8] = match value {
                    Value::Text { text, .. } => text.as_bytes(),
                    Value::File { bytes, .. } => bytes,
                };
                contents
                    .windows(candidate.len())
                    .any(|window| window == candidate.as_bytes())
            });
            if !clashes {
                break candidate;
            }
        };
        let mut body = Vec::new();
        for (name, value) in &self.fields {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let disposition = format!("Content-Disposition: form-data; name=\"{}\"", quoted(name));
            body.extend_from_slice(disposition.as_bytes());
            match value {
                Value::Text { text, content_type } => {
                    if let Some(content_type) = content_type {
                        body.extend_from_slice(
                            format!("\r\nContent-Type: {content_type}").as_bytes(),
                        );
                    }
                    body.extend_from_slice(b"\r\n\r\n");
                    body.extend_from_slice(text.as_bytes());
                }
                Value::File {
                    bytes,
                    file_name,
                    content_type,
                } => {
                    let file_name = file_name.as_deref().unwrap_or(name);
                    let content_type = content_type
                        .as_deref()
                        .unwrap_or("application/octet-stream");
                    let headers = format!(
                        "; filename=\"{}\"\r\nContent-Type: {content_type}\r\n\r\n",
                        quoted(file_name)
                    );
                    body.extend_from_slice(headers.as_bytes());
                    body.extend_from_slice(bytes);
                }
            }
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("{}; boundary={boundary}", self.media_type), body)
    }
}

/// Characters kept as they are in a form: ASCII letters and digits and `*-._` (the WHATWG
/// `application/x-www-form-urlencoded` serializer).
const FORM_KEPT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

/// Percent-encodes a form name or value, with `+` for a space.
fn form_encode(bytes: &[u8]) -> String {
    bytes
        .split(|byte| *byte == b' ')
        .map(|piece| percent_encoding::percent_encode(piece, FORM_KEPT).to_string())
        .collect::<Vec<String>>()
        .join("+")
}

/// A name or file name in a `Content-Disposition` header: `"`, CR and LF percent-encoded, as
/// browsers send them.
fn quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A fresh multipart boundary: a fixed prefix and 32 hexadecimal digits that differ for every
/// body (seeded by the process's random hasher keys).
fn boundary() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let state = RandomState::new();
    format!(
        "----client-boundary-{:016x}{:016x}",
        state.hash_one(count),
        state.hash_one(count.wrapping_add(1) ^ 0x9e37_79b9_7f4a_7c15)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_urlencoded_as_forms_are() {
        let mut form = Form::urlencoded("application/x-www-form-urlencoded");
        form.text("name", "Rex & Co. 100%".to_owned());
        form.text("tag", "a".to_owned());
        form.text("tag", "b c".to_owned());
        let (content_type, body) = form.encode();
        assert_eq!(content_type, "application/x-www-form-urlencoded");
        assert_eq!(
            String::from_utf8(body).expect("ASCII"),
            "name=Rex+%26+Co.+100%25&tag=a&tag=b+c"
        );
    }

    #[test]
    fn multipart_parts_carry_names_file_names_and_content_types() {
        let mut form = Form::multipart("multipart/form-data");
        form.text("caption", "a \"cat\"".to_owned());
        form.typed_text("meta", "{\"a\":1}".to_owned(), "application/json");
        let photo = FilePart::new(b"PNG".to_vec()).with_file_name("cat.png");
        form.file("photo", &photo, Some("image/png"));
        form.file("raw", &FilePart::new(b"x".to_vec()), None);
        let (content_type, body) = form.encode();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("a boundary");
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\na \"cat\"\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: \
             application/json\r\n\r\n{{\"a\":1}}\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"cat.png\"\r\n\
             Content-Type: image/png\r\n\r\nPNG\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"raw\"; filename=\"raw\"\r\n\
             Content-Type: application/octet-stream\r\n\r\nx\r\n--{b}--\r\n",
            b = boundary
        );
        assert_eq!(String::from_utf8(body).expect("UTF-8"), expected);
        assert_ne!(boundary, super::boundary(), "every body gets its own boundary");
    }
}
