//! The intermediate model: what the client will contain, in plain Rust data.
//!
//! `lower` builds it from an `openapiv3` document and `emit` turns it into code. Nothing here
//! refers to `openapiv3`, and every name in it is already a valid, unique Rust identifier.

/// The whole API, in a deterministic order.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The client's default base URL: the configured one, else the spec's first server.
    pub base_url: Option<String>,
    /// Every server URL the spec lists, in spec order.
    pub servers: Vec<String>,
    /// `info.license.name`.
    pub license: Option<String>,
    /// `info.contact.url`, else `externalDocs.url`: the API's home on the web.
    pub homepage: Option<String>,
    /// The security schemes the client can authenticate with, in spec order.
    pub security_schemes: Vec<SecurityScheme>,
    /// Every named type, components first (in spec order), then inline types as they were met.
    pub types: Vec<TypeDef>,
    /// Every operation, in path then method order.
    pub operations: Vec<Operation>,
    /// The crate's per-tag cargo features, one per operation module, in module order.
    pub features: Vec<TagFeature>,
    /// The error enums that several operations share, in the order of their first operation.
    pub shared_errors: Vec<SharedError>,
}

/// An error enum that several operations share because they document the same error responses
/// (as [`Operation::errors`], equal in every field); their error types
/// ([`Operation::error_type`]) are aliases of it.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedError {
    /// The enum's Rust name, unique in the crate, made from its variants' names
    /// (`UnauthorizedForbiddenNotFoundError`).
    pub name: String,
    /// Its variants: the error responses every operation sharing it documents.
    pub errors: Vec<Response>,
    /// How many operations share it.
    pub operations: usize,
    /// The features that compile it (by name, sorted): the [`TagFeature`]s of its operations.
    /// Empty when it is always compiled: every tag has one of its operations.
    pub features: Vec<String>,
}

/// The cargo feature that compiles one operation module (one tag's operations) and the types
/// they use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFeature {
    /// The feature's name, kebab-case and unique (`organization-main-calls`).
    pub name: String,
    /// The operation module it gates ([`Operation::module`]).
    pub module: String,
    /// The tag it comes from; `None` for the operations without a tag.
    pub tag: Option<String>,
}

/// One way to authenticate.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The key under `components/securitySchemes`.
    pub key: String,
    /// A snake_case name for the builder method that sets it.
    pub method_name: String,
    /// What it sends.
    pub kind: SecurityKind,
    /// The scheme's description.
    pub docs: Option<String>,
    /// The environment variable the client reads this scheme's credential from when none is
    /// set in code (one scheme of the API has it), such as `QOVERY_API_TOKEN`.
    pub env_var: Option<String>,
}

/// What a security scheme puts on the request.
#[derive(Debug, Clone, PartialEq)]
pub enum SecurityKind {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// A header carrying the key, with an optional scheme word before it (`Token <key>`).
    ApiKeyHeader {
        /// The header's name.
        header: String,
        /// The word sent before the key, when the spec shows one.
        prefix: Option<String>,
    },
    /// A query parameter carrying the key.
    ApiKeyQuery {
        /// The parameter's name.
        parameter: String,
    },
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name, unique in the crate.
    pub name: String,
    /// Where the type comes from, as a JSON pointer.
    pub origin: String,
    /// The schema's title and description.
    pub docs: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Who sends values of this type.
    pub usage: Usage,
    /// The features that compile this type (by name, sorted): the [`TagFeature`]s whose
    /// operations reach it, and `full` when no operation reaches it or a type no operation
    /// reaches uses it. Empty when it is always compiled: every tag needs it.
    pub features: Vec<String>,
    /// What kind of type it is.
    pub kind: TypeKind,
}

/// Who sends values of a type: found from the operations that reach it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// Reachable from a request body or a parameter: callers build values of it.
    pub in_requests: bool,
    /// Reachable from a response body: servers send values of it.
    pub in_responses: bool,
    /// Whether the client encodes values of it (`Serialize`): reachable, in the final model,
    /// from a request body or a parameter, or from a type no operation reaches (such a type
    /// gets both impls, and so does everything it holds).
    pub encoded: bool,
    /// Whether the client decodes values of it (`Deserialize`): reachable, in the final model,
    /// from a response body, or from a type no operation reaches.
    pub decoded: bool,
}

impl Usage {
    /// Whether only servers send values of this type: callers never build one (a type no
    /// operation reaches may be used either way).
    pub fn response_only(self) -> bool {
        self.in_responses && !self.in_requests
    }
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(StructDef),
    /// A string enum that also keeps values it does not know.
    StringEnum(StringEnumDef),
    /// An integer enum that also keeps values it does not know.
    IntEnum(IntEnumDef),
    /// A value of one of several types (`oneOf`/`anyOf`).
    Union(UnionDef),
    /// Another name for a type.
    Alias(TypeRef),
}

impl TypeKind {
    /// The type references this type is made of, one level deep.
    pub fn referenced_types(&self) -> Vec<&TypeRef> {
        match self {
            Self::Struct(structure) => structure
                .fields
                .iter()
                .map(|field| &field.ty)
                .chain(structure.flattened.iter().map(|flattened| &flattened.ty))
                .chain(
                    structure
                        .additional_properties
                        .iter()
                        .map(|extra| &extra.value),
                )
                .collect(),
            Self::Union(union) => union.variants.iter().map(|variant| &variant.ty).collect(),
            Self::Alias(target) => vec![target],
            Self::StringEnum(_) | Self::IntEnum(_) => Vec::new(),
        }
    }
}

impl TypeRef {
    /// The type inside a list, a map or an `Option`; `None` for every other reference.
    pub fn wrapped(&self) -> Option<&TypeRef> {
        match self {
            Self::List(inner) | Self::Map(inner) | Self::Nullable(inner) => Some(inner),
            _ => None,
        }
    }
}

/// Follows aliases from `type_ref` to the reference it finally means; `kind_of` looks up a named
/// type's kind. Stops after 64 steps, so an alias cycle cannot loop forever.
pub fn resolve_aliases<'t>(
    mut type_ref: &'t TypeRef,
    kind_of: impl Fn(&str) -> Option<&'t TypeKind>,
) -> &'t TypeRef {
    for _ in 0..64 {
        let (TypeRef::Named(name) | TypeRef::Boxed(name)) = type_ref else {
            break;
        };
        match kind_of(name) {
            Some(TypeKind::Alias(target)) => type_ref = target,
            _ => break,
        }
    }
    type_ref
}

/// An object type.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// The properties, in spec order (allOf members in order).
    pub fields: Vec<Field>,
    /// allOf members that are unions, kept whole and flattened into the object.
    pub flattened: Vec<Flattened>,
    /// Where properties that are not listed go, when `additionalProperties` allows them.
    pub additional_properties: Option<ExtraProperties>,
}

/// A field whose value's properties are written into the enclosing object (`#[serde(flatten)]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Flattened {
    /// The Rust field name.
    pub rust_name: String,
    /// The flattened type.
    pub ty: TypeRef,
}

/// The map field that keeps properties a struct does not list.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraProperties {
    /// The Rust field name.
    pub rust_name: String,
    /// The type of each value.
    pub value: TypeRef,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The property's name on the wire.
    pub wire_name: String,
    /// The Rust field name.
    pub rust_name: String,
    /// The value's type, without the `Option` that `presence` adds.
    pub ty: TypeRef,
    /// Whether the field can be absent or null.
    pub presence: Presence,
    /// `readOnly: true`: sent by the server only.
    pub read_only: bool,
    /// `writeOnly: true`: sent by the client only.
    pub write_only: bool,
    /// The property's description.
    pub docs: Option<String>,
    /// The schema's `default`, as JSON text.
    pub default: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// The name of the chaining setter that sets an optional field, in types that callers
    /// build; `None` for required fields (the constructor takes them) and in types only
    /// servers send.
    pub setter: Option<String>,
}

/// How a field's absence and nullability map to Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Required and not nullable: `T`.
    Required,
    /// Required and nullable: `Option<T>`, sent as `null` when `None`.
    RequiredNullable,
    /// Optional (nullable or not): `Option<T>`, left out when `None`, and `null` decodes to `None`.
    Optional,
    /// Optional and nullable in a type that callers send, where leaving a property out and
    /// sending `null` mean different things (PATCH): `Nullable<T>`, with both states.
    OptionalNullable,
}

/// A string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct StringEnumDef {
    /// The listed values, in spec order.
    pub variants: Vec<EnumVariant>,
    /// The name of the variant that keeps unlisted values.
    pub unknown_variant: String,
}

/// One listed enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The value on the wire.
    pub wire_value: String,
    /// The Rust variant name.
    pub rust_name: String,
}

/// An integer enum.
#[derive(Debug, Clone, PartialEq)]
pub struct IntEnumDef {
    /// The listed values, in spec order.
    pub variants: Vec<IntEnumVariant>,
    /// The name of the variant that keeps unlisted values.
    pub unknown_variant: String,
}

/// One listed integer enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct IntEnumVariant {
    /// The value on the wire.
    pub wire_value: i64,
    /// The Rust variant name.
    pub rust_name: String,
}

/// A `oneOf` or `anyOf`: one variant per alternative.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    /// The property whose value says which variant a value is (`discriminator.propertyName`);
    /// `None` when the variant is found by trying each in turn.
    pub discriminator: Option<String>,
    /// The variants, in the order they are tried (most specific first) when there is no
    /// discriminator, in spec order otherwise.
    pub variants: Vec<UnionVariant>,
    /// With a discriminator, the name of the variant that keeps values with an unknown tag.
    pub unknown_variant: Option<String>,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The discriminator value that selects it.
    pub tag: Option<String>,
    /// The variant's type.
    pub ty: TypeRef,
    /// The wire names of the properties an object of this variant can have, when that set is
    /// closed and the union has no discriminator: decoding prefers the variant that knows every
    /// property of a value.
    pub known_properties: Option<Vec<String>>,
}

/// A reference to a type, as it appears in a field, a parameter or a body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// A type from `Api::types`, by its Rust name.
    Named(String),
    /// A named type behind a `Box`, to break a cycle.
    Boxed(String),
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `uuid::Uuid`.
    Uuid,
    /// A date-time with offset, normalised to UTC.
    DateTime,
    /// A calendar date.
    Date,
    /// Raw bytes (`format: binary`).
    Bytes,
    /// A file sent in a form or multipart body (a `format: binary` property of its schema): the
    /// bytes, with the file name and content type its part carries (the runtime's `FilePart`).
    File,
    /// Any JSON value.
    Json,
    /// An existing Rust type, by path (`rust_decimal::Decimal`): mapped by the configuration or
    /// by the schema's `x-rust-type`. It must implement serde's traits (and `Display` when it is a
    /// parameter).
    External(String),
    /// `Vec<T>`.
    List(Box<TypeRef>),
    /// A map from string keys to `T`.
    Map(Box<TypeRef>),
    /// `Option<T>`: a list item or map value that may be `null`.
    Nullable(Box<TypeRef>),
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec's `operationId`, or one made from the method and path.
    pub id: String,
    /// The client method's name.
    pub method_name: String,
    /// The name of the operation's error type: its own enum, or an alias of
    /// [`Self::shared_error`].
    pub error_type: String,
    /// The [`SharedError`] (by name) that [`Self::error_type`] is an alias of, when other
    /// operations document the same error responses; `None` when the operation has its own enum.
    pub shared_error: Option<String>,
    /// The module under `src/operations/` that holds the method and its types: the first tag,
    /// snake_case and unique, or `default` for untagged operations.
    pub module: String,
    /// The spec's first tag, when the operation has one.
    pub tag: Option<String>,
    /// All the spec's tags, in spec order.
    pub tags: Vec<String>,
    /// The HTTP method, upper case.
    pub http_method: String,
    /// The path template, as written in the spec.
    pub path: String,
    /// The path split into literal text and parameters.
    pub path_parts: Vec<PathPart>,
    /// The parameters, path ones first, then in spec order.
    pub parameters: Vec<Parameter>,
    /// The method's arguments after `&self`, in order: path parameters (in path order), required
    /// query and header parameters (in spec order), the body, then the options struct.
    pub arguments: Vec<Argument>,
    /// The name of the struct that groups the optional query and header parameters, when the
    /// operation has any; it is the last argument, and its fields are named after
    /// [`Parameter::rust_name`].
    pub options_type: Option<String>,
    /// The request body, if any.
    pub body: Option<RequestBody>,
    /// The security requirements: alternatives, each a set of schemes sent together. Empty
    /// (`security: []`, or no security anywhere) sends no credential.
    pub security: Vec<SecurityRequirement>,
    /// How the operation pages, when it does: it then also gets a method returning a stream of
    /// the items of every page.
    pub pagination: Option<Pagination>,
    /// Responses with a 2xx status (or `default`, when no 2xx status is listed).
    pub success: Vec<Response>,
    /// What a successful call returns.
    pub success_type: SuccessType,
    /// Responses with any other listed status, and `default` last.
    pub errors: Vec<Response>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
}

impl Operation {
    /// Every type the operation names: [`Self::request_type_refs`], then
    /// [`Self::response_type_refs`].
    pub fn type_refs(&self) -> impl Iterator<Item = &TypeRef> {
        self.request_type_refs().chain(self.response_type_refs())
    }

    /// The types callers send: its parameters' and its request body's.
    pub fn request_type_refs(&self) -> impl Iterator<Item = &TypeRef> {
        self.parameters
            .iter()
            .map(|parameter| &parameter.ty)
            .chain(self.body.iter().map(|body| &body.ty))
    }

    /// The types servers send: its response bodies' and its pages' items.
    pub fn response_type_refs(&self) -> impl Iterator<Item = &TypeRef> {
        self.success
            .iter()
            .chain(&self.errors)
            .filter_map(|response| response.body.as_ref().map(|body| &body.ty))
            .chain(
                self.pagination
                    .iter()
                    .map(|pagination| &pagination.item_type),
            )
    }
}

/// One alternative of an operation's security: schemes that are sent together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityRequirement {
    /// The schemes' keys under `components/securitySchemes`; empty for "no credential needed".
    pub schemes: Vec<String>,
}

/// How a paginated operation's pages follow each other (see `lower::pagination`).
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The name of the method returning a stream of the items of every page.
    pub method_name: String,
    /// The Rust name of the response field that holds the items; `None` when the response is
    /// the list itself.
    pub items_field: Option<String>,
    /// The type of one item.
    pub item_type: TypeRef,
    /// How the next page is asked for.
    pub next: PageAdvance,
}

/// How the request for the next page is made from a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageAdvance {
    /// The query `parameter` (wire name) is set to the value at `field` in the response (Rust
    /// field names, outermost first), until it is absent.
    Cursor {
        /// The query parameter.
        parameter: String,
        /// The path to the next cursor in the response.
        field: Vec<String>,
    },
    /// The response holds a link to the next page at `field`, followed until it is absent.
    Link {
        /// The path to the link in the response.
        field: Vec<String>,
    },
    /// The query `parameter` is set to the `field` of the page's last item (keyset paging).
    LastItem {
        /// The query parameter.
        parameter: String,
        /// The Rust name of the item's field.
        field: String,
    },
    /// The query `parameter` is a page number, counted from 1.
    PageNumber {
        /// The query parameter.
        parameter: String,
    },
    /// The query `parameter` is an offset, moved past each page's items.
    Offset {
        /// The query parameter.
        parameter: String,
    },
}

/// One argument of an operation method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Argument {
    /// A parameter, by its [`Parameter::rust_name`]: a required one, or an optional one taken
    /// as an `Option` where optional parameters are not grouped ([`Operation::options_type`] is
    /// then `None`).
    Parameter(String),
    /// The request body, `body`.
    Body,
    /// The options struct ([`Operation::options_type`]), `options`.
    Options,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text sent as it is.
    Literal(String),
    /// A path parameter, by its Rust name; its value is percent-encoded.
    Parameter(String),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
}

/// An operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The name on the wire.
    pub wire_name: String,
    /// The Rust argument name.
    pub rust_name: String,
    /// Where it goes.
    pub location: ParameterLocation,
    /// Its type.
    pub ty: TypeRef,
    /// Whether the caller must give it. Optional query and header parameters are fields of the
    /// operation's options struct.
    pub required: bool,
    /// How a list value is written; ignored for other types.
    pub list_format: ListFormat,
    /// Its description.
    pub docs: Option<String>,
}

/// How a list parameter goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListFormat {
    /// One `name=value` pair per item: query `style: form` with `explode: true` (the default).
    Repeated,
    /// One value, the items joined by this separator: `,` for `explode: false` and for path and
    /// header parameters (`simple`), a space for `spaceDelimited`, `|` for `pipeDelimited`.
    Delimited(String),
}

/// How a body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyEncoding {
    /// `application/json` and `+json` types.
    Json,
    /// `text/*` and YAML: sent and received as a string.
    Text,
    /// Anything else: raw bytes.
    Bytes,
    /// `application/x-www-form-urlencoded` request bodies: the fields of an object as
    /// `name=value` pairs ([`RequestBody::fields`]).
    Form,
    /// `multipart/form-data` request bodies: one part per field of an object, files with their
    /// file name and content type ([`RequestBody::fields`]).
    Multipart,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The media type sent in `Content-Type`.
    pub content_type: String,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// The Rust type the caller passes.
    pub ty: TypeRef,
    /// Whether the spec marks the body required. The client always sends one: specs often
    /// leave `required` out where a body is expected.
    pub required: bool,
    /// For [`BodyEncoding::Form`] and [`BodyEncoding::Multipart`], the fields of the struct `ty`
    /// as they are sent, in order; empty for other encodings.
    pub fields: Vec<FormField>,
}

/// One field of a form or multipart body: a field of the body's struct.
#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    /// The field's name on the wire.
    pub wire_name: String,
    /// The struct field that holds its value.
    pub rust_name: String,
    /// The field's type, without the `Option` that `presence` adds; [`TypeRef::File`] for files.
    pub ty: TypeRef,
    /// Whether the struct field may be unset (then nothing is sent for it).
    pub presence: Presence,
    /// How a list is sent: one field per item (`Repeated`), or one field with the items joined.
    /// Multipart lists are always one part per item.
    pub list_format: ListFormat,
    /// The part's `Content-Type` that the spec's `encoding` gives; `None` for the default
    /// (`application/octet-stream` for files, `application/json` for objects in multipart
    /// bodies, none for text).
    pub content_type: Option<String>,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum SuccessType {
    /// Every success response has this body type (`None`: no body).
    Single(Option<TypeRef>),
    /// Success responses differ: an enum named here, one variant per response in `success`.
    Enum(String),
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusPattern {
    /// One status code.
    Code(u16),
    /// A class such as `4XX`, by its first digit.
    Class(u16),
    /// `default`: every status not listed otherwise.
    Default,
}

/// One documented response.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Response {
    /// The statuses it covers.
    pub status: StatusPattern,
    /// The variant name in the operation's success or error type.
    pub variant_name: String,
    /// The response's description.
    pub docs: Option<String>,
    /// The decoded body, when the response has one.
    pub body: Option<ResponseBody>,
}

/// A response body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResponseBody {
    /// The media type.
    pub content_type: String,
    /// How it is decoded.
    pub encoding: BodyEncoding,
    /// The type it decodes into.
    pub ty: TypeRef,
}
