//! Operations: parameters, request bodies, responses and the types they need.

use std::collections::HashMap;

use indexmap::IndexMap;
use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, StatusCode,
};

use super::schemas::{SchemaRef, nested_name};
use super::{Lowerer, pagination};
use crate::diagnostics::pointer_push;
use crate::model::{
    Argument, BodyEncoding, FormField, ListFormat, Operation, Parameter as ModelParameter,
    ParameterLocation, PathPart, RequestBody, Response, ResponseBody, StatusPattern, SuccessType,
    TypeKind, TypeRef, resolve_aliases,
};
use crate::naming::{self, Scope};

/// Names the generated methods use for their own locals and arguments.
/// The options struct's setters share these names, so they also exclude the methods every
/// options struct has (`default`, `clone`, `eq`, `ne`, `fmt`).
const RESERVED_ARGUMENTS: &[&str] = &[
    "body", "clone", "default", "eq", "error", "fmt", "item", "ne", "options", "path", "query",
    "request", "response", "self",
];

/// The module for operations without tags.
const UNTAGGED_MODULE: &str = "default";

/// Every operation under `paths`, in spec order.
pub(super) fn lower_operations(lowerer: &mut Lowerer<'_>) -> Vec<Operation> {
    let mut method_scope = Scope::with_reserved(&naming::runtime_names().methods_of("Client"));
    let mut modules = Modules {
        scope: naming::operation_module_scope(),
        by_tag: HashMap::new(),
    };
    let mut operations = Vec::new();
    let document = lowerer.document;
    for (path, item) in &document.paths.paths {
        let path_pointer = pointer_push("#/paths", path);
        let ReferenceOr::Item(item) = item else {
            lowerer.warn(
                &path_pointer,
                "a `$ref` path item is not supported; it is left out",
            );
            continue;
        };
        for (method, operation) in item.iter() {
            let pointer = pointer_push(&path_pointer, method);
            let context = OperationContext {
                path,
                method,
                pointer: &pointer,
                path_parameters: &item.parameters,
            };
            if let Some(mut lowered) =
                lowerer.lower_operation(&context, operation, &mut method_scope)
            {
                lowered.module = modules.module_for(lowered.tag.as_deref());
                lowered.pagination =
                    pagination::detect(lowerer, &lowered, operation, &mut method_scope);
                operations.push(lowered);
            }
        }
    }
    operations
}

/// The modules operations go into, one per tag, named in the order tags are first met.
struct Modules {
    scope: Scope,
    by_tag: HashMap<Option<String>, String>,
}

impl Modules {
    /// The module for operations whose first tag is `tag`.
    fn module_for(&mut self, tag: Option<&str>) -> String {
        let key = tag.map(str::to_owned);
        if let Some(module) = self.by_tag.get(&key) {
            return module.clone();
        }
        let module = self
            .scope
            .claim(&naming::snake_ident(tag.unwrap_or(UNTAGGED_MODULE)));
        self.by_tag.insert(key, module.clone());
        module
    }
}

/// Where an operation stands in the document.
struct OperationContext<'c, 'a> {
    path: &'a str,
    method: &'c str,
    pointer: &'c str,
    path_parameters: &'a [ReferenceOr<Parameter>],
}

/// The media type a body is read or written as, and how: JSON first, then text, then a form
/// or multipart body, then the first listed.
pub(super) fn pick_media(
    content: &IndexMap<String, MediaType>,
) -> Option<(&String, &MediaType, BodyEncoding)> {
    let encoding_of = |media: &str| {
        let media = media.to_ascii_lowercase();
        if media == "application/json" || media.ends_with("+json") || media.contains("/json;") {
            BodyEncoding::Json
        } else if media.starts_with("text/") || media.contains("yaml") {
            BodyEncoding::Text
        } else if media.starts_with("application/x-www-form-urlencoded") {
            BodyEncoding::Form
        } else if media.starts_with("multipart/form-data") {
            BodyEncoding::Multipart
        } else {
            BodyEncoding::Bytes
        }
    };
    let with_encoding = || {
        content
            .iter()
            .map(move |(media, value)| (media, value, encoding_of(media)))
    };
    let first_of = |wanted: &[BodyEncoding]| {
        with_encoding().find(|(_, _, encoding)| wanted.contains(encoding))
    };
    first_of(&[BodyEncoding::Json])
        .or_else(|| first_of(&[BodyEncoding::Text]))
        .or_else(|| first_of(&[BodyEncoding::Form, BodyEncoding::Multipart]))
        .or_else(|| with_encoding().next())
}

/// How a response body of a media type [`pick_media`] chose is read: a form or multipart
/// response is bytes.
fn response_encoding(encoding: BodyEncoding) -> BodyEncoding {
    match encoding {
        BodyEncoding::Form | BodyEncoding::Multipart => BodyEncoding::Bytes,
        other => other,
    }
}

/// The variant name for a status: its reason phrase, as `NotFound` for 404.
fn status_variant(status: StatusPattern) -> String {
    let code = match status {
        StatusPattern::Default => return "Default".to_owned(),
        StatusPattern::Class(class) => return format!("Status{class}xx"),
        StatusPattern::Code(code) => code,
    };
    let reason = match code {
        100 => "Continue",
        101 => "SwitchingProtocols",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        418 => "ImATeapot",
        421 => "MisdirectedRequest",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        507 => "InsufficientStorage",
        508 => "LoopDetected",
        511 => "NetworkAuthenticationRequired",
        _ => return format!("Status{code}"),
    };
    reason.to_owned()
}

fn is_success(status: StatusPattern) -> bool {
    match status {
        StatusPattern::Code(code) => (200..300).contains(&code),
        StatusPattern::Class(class) => class == 2,
        StatusPattern::Default => false,
    }
}

/// Splits a path template into literal text and parameter names.
fn split_path(path: &str) -> Vec<(bool, &str)> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            parts.push((false, &rest[..open]));
        }
        parts.push((true, &rest[open + 1..open + close]));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push((false, rest));
    }
    parts
}

impl<'a> Lowerer<'a> {
    fn lower_operation(
        &mut self,
        context: &OperationContext<'_, 'a>,
        operation: &'a openapiv3::Operation,
        method_scope: &mut Scope,
    ) -> Option<Operation> {
        let resolved_body = match &operation.request_body {
            Some(body) => {
                let pointer = pointer_push(context.pointer, "requestBody");
                Some(self.resolve_request_body(body, &pointer)?)
            }
            None => None,
        };
        let id = operation
            .operation_id
            .clone()
            .filter(|id| !id.trim().is_empty())
            .unwrap_or_else(|| naming::operation_name(context.method, context.path));
        let type_prefix = naming::type_ident(&id);
        let error_type = self.claim_type_name(&format!("{type_prefix}Error"));
        let (parameters, path_parts) = self.lower_parameters(context, operation, &type_prefix);
        let body = resolved_body
            .and_then(|(body, pointer)| self.lower_request_body(body, &pointer, &type_prefix));
        let (success, errors) = self.lower_responses(operation, context.pointer, &type_prefix);
        let success_type = self.success_type(&success, &type_prefix);
        let mut arguments: Vec<Argument> = path_parts
            .iter()
            .filter_map(|part| match part {
                PathPart::Parameter(rust_name) => Some(Argument::Parameter(rust_name.clone())),
                PathPart::Literal(_) => None,
            })
            .collect();
        arguments.extend(
            parameters
                .iter()
                .filter(|parameter| {
                    parameter.required && parameter.location != ParameterLocation::Path
                })
                .map(|parameter| Argument::Parameter(parameter.rust_name.clone())),
        );
        if body.is_some() {
            arguments.push(Argument::Body);
        }
        let optional = parameters.iter().filter(|parameter| !parameter.required);
        let mut options_type = None;
        if self.config.client.group_optional_parameters {
            if optional.count() > 0 {
                options_type = Some(self.claim_type_name(&format!("{type_prefix}Options")));
                arguments.push(Argument::Options);
            }
        } else {
            arguments
                .extend(optional.map(|parameter| Argument::Parameter(parameter.rust_name.clone())));
        }
        let security = super::security::requirements(
            operation
                .security
                .as_ref()
                .or(self.document.security.as_ref()),
        );
        Some(Operation {
            method_name: method_scope.claim(&naming::snake_ident(
                self.config.rename.operations.get(&id).unwrap_or(&id),
            )),
            id,
            error_type,
            shared_error: None,
            module: String::new(),
            tag: operation.tags.first().cloned(),
            tags: operation.tags.clone(),
            http_method: context.method.to_ascii_uppercase(),
            path: context.path.to_owned(),
            path_parts,
            parameters,
            arguments,
            options_type,
            body,
            security,
            pagination: None,
            success,
            success_type,
            errors,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
        })
    }

    /// The operation's parameters (path-level ones overridden by operation-level ones with the
    /// same name and location), path parameters first, and the path split around them.
    fn lower_parameters(
        &mut self,
        context: &OperationContext<'_, 'a>,
        operation: &'a openapiv3::Operation,
        type_prefix: &str,
    ) -> (Vec<ModelParameter>, Vec<PathPart>) {
        let path_level = context
            .path_parameters
            .iter()
            .enumerate()
            .map(|(index, parameter)| {
                let pointer = pointer_push(
                    &pointer_push(&pointer_push("#/paths", context.path), "parameters"),
                    &index.to_string(),
                );
                (parameter, pointer)
            });
        let operation_level = operation
            .parameters
            .iter()
            .enumerate()
            .map(|(index, parameter)| {
                let pointer = pointer_push(
                    &pointer_push(context.pointer, "parameters"),
                    &index.to_string(),
                );
                (parameter, pointer)
            });
        let mut resolved: IndexMap<(String, &'static str), (&'a Parameter, String)> =
            IndexMap::new();
        for (parameter, pointer) in path_level.chain(operation_level) {
            if let Some(parameter) = self.resolve_parameter(parameter, &pointer) {
                let key = (
                    parameter.parameter_data_ref().name.clone(),
                    location_key(parameter),
                );
                resolved.insert(key, (parameter, pointer));
            }
        }

        let mut scope = Scope::with_reserved(RESERVED_ARGUMENTS);
        let mut parameters: Vec<ModelParameter> = Vec::new();
        for (parameter, pointer) in resolved.values() {
            let location = match parameter {
                Parameter::Path { .. } => ParameterLocation::Path,
                Parameter::Query { .. } => ParameterLocation::Query,
                Parameter::Header { .. } => ParameterLocation::Header,
                Parameter::Cookie { .. } => {
                    self.skip(
                        pointer,
                        "cookie parameters are not supported; it is left out",
                    );
                    continue;
                }
            };
            let data = parameter.parameter_data_ref();
            let hint = nested_name(type_prefix, &data.name);
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let schema_pointer = pointer_push(pointer, "schema");
                    self.type_of(SchemaRef::from(schema), &hint, &schema_pointer)
                        .ty
                }
                ParameterSchemaOrContent::Content(content) => {
                    match pick_media(content).and_then(|(_, media, _)| media.schema.as_ref()) {
                        Some(schema) => {
                            let schema_pointer = pointer_push(pointer, "content");
                            self.type_of(SchemaRef::from(schema), &hint, &schema_pointer)
                                .ty
                        }
                        None => TypeRef::String,
                    }
                }
            };
            parameters.push(ModelParameter {
                wire_name: data.name.clone(),
                rust_name: scope.claim(&naming::snake_ident(&data.name)),
                location,
                ty,
                required: data.required || location == ParameterLocation::Path,
                list_format: list_format(parameter),
                docs: data.description.clone(),
            });
        }

        let mut path_parts = Vec::new();
        for (is_parameter, text) in split_path(context.path) {
            if !is_parameter {
                path_parts.push(PathPart::Literal(text.to_owned()));
                continue;
            }
            let declared = parameters.iter().find(|parameter| {
                parameter.location == ParameterLocation::Path && parameter.wire_name == text
            });
            let rust_name = match declared {
                Some(parameter) => parameter.rust_name.clone(),
                None => {
                    self.warn(
                        context.pointer,
                        format!(
                            "path parameter `{{{text}}}` is not declared; it is a required string \
                             argument"
                        ),
                    );
                    let rust_name = scope.claim(&naming::snake_ident(text));
                    parameters.push(ModelParameter {
                        wire_name: text.to_owned(),
                        rust_name: rust_name.clone(),
                        location: ParameterLocation::Path,
                        ty: TypeRef::String,
                        required: true,
                        list_format: ListFormat::Delimited(",".to_owned()),
                        docs: None,
                    });
                    rust_name
                }
            };
            path_parts.push(PathPart::Parameter(rust_name));
        }
        parameters.sort_by_key(|parameter| parameter.location != ParameterLocation::Path);
        (parameters, path_parts)
    }

    /// The request body `body`, which stands at `body_pointer`.
    fn lower_request_body(
        &mut self,
        body: &'a openapiv3::RequestBody,
        body_pointer: &str,
        type_prefix: &str,
    ) -> Option<RequestBody> {
        let (content_type, media, encoding) = pick_media(&body.content)?;
        let schema_pointer = pointer_push(
            &pointer_push(&pointer_push(body_pointer, "content"), content_type),
            "schema",
        );
        let mut ty = self.body_type(
            media,
            encoding,
            &format!("{type_prefix}Body"),
            &schema_pointer,
        );
        let mut encoding = encoding;
        let mut fields = Vec::new();
        if matches!(encoding, BodyEncoding::Form | BodyEncoding::Multipart) {
            match self.form_fields(&ty, media, encoding, &schema_pointer) {
                Some(found) => fields = found,
                None => {
                    self.warn(
                        &schema_pointer,
                        format!(
                            "a `{content_type}` body is sent field by field only when its schema \
                             is an object with properties; this one is sent as raw bytes"
                        ),
                    );
                    encoding = BodyEncoding::Bytes;
                    ty = TypeRef::Bytes;
                }
            }
        }
        Some(RequestBody {
            content_type: content_type.clone(),
            encoding,
            ty,
            required: body.required,
            fields,
        })
    }

    /// The fields of a form or multipart body of type `ty`, a struct: each property, its
    /// binary ones as files, with the list format and content type the media type's
    /// `encoding` gives. `None` when `ty` is not a struct with properties.
    fn form_fields(
        &mut self,
        ty: &TypeRef,
        media: &MediaType,
        encoding: BodyEncoding,
        pointer: &str,
    ) -> Option<Vec<FormField>> {
        let kind_of = |name: &str| {
            self.types
                .iter()
                .find(|definition| definition.name == name)
                .map(|definition| &definition.kind)
        };
        let TypeRef::Named(name) = resolve_aliases(ty, kind_of).clone() else {
            return None;
        };
        let definition = self
            .types
            .iter_mut()
            .find(|definition| definition.name == name)?;
        let TypeKind::Struct(structure) = &mut definition.kind else {
            return None;
        };
        if structure.fields.is_empty() {
            return None;
        }
        let unsent = !structure.flattened.is_empty() || structure.additional_properties.is_some();
        let mut fields = Vec::with_capacity(structure.fields.len());
        for field in &mut structure.fields {
            field.ty = as_file(&field.ty);
            let part = media.encoding.get(&field.wire_name);
            let list_format = match (encoding, part) {
                // The loader writes `explode` out where the spec leaves it to its default.
                (BodyEncoding::Form, Some(part)) if !part.explode => {
                    let separator = match part.style {
                        Some(QueryStyle::SpaceDelimited) => " ",
                        Some(QueryStyle::PipeDelimited) => "|",
                        Some(QueryStyle::Form | QueryStyle::DeepObject) | None => ",",
                    };
                    ListFormat::Delimited(separator.to_owned())
                }
                _ => ListFormat::Repeated,
            };
            let content_type = part
                .and_then(|part| part.content_type.as_deref())
                .and_then(|types| types.split(',').next())
                .map(|first| first.trim().to_owned())
                .filter(|first| !first.is_empty());
            fields.push(FormField {
                wire_name: field.wire_name.clone(),
                rust_name: field.rust_name.clone(),
                ty: field.ty.clone(),
                presence: field.presence,
                list_format,
                content_type,
            });
        }
        if unsent {
            self.warn(
                pointer,
                "the properties this form body's schema does not list (`additionalProperties`, \
                 union members) are not sent",
            );
        }
        Some(fields)
    }

    /// The type of a body of `media`, encoded as `encoding`; inline schemas are named `hint`.
    pub(super) fn body_type(
        &mut self,
        media: &'a MediaType,
        encoding: BodyEncoding,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        match (encoding, &media.schema) {
            (BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart, Some(schema)) => {
                self.type_of(SchemaRef::from(schema), hint, pointer).ty
            }
            (BodyEncoding::Json, None) => TypeRef::Json,
            (BodyEncoding::Text, _) => TypeRef::String,
            (BodyEncoding::Bytes | BodyEncoding::Form | BodyEncoding::Multipart, _) => {
                TypeRef::Bytes
            }
        }
    }

    /// The success and error responses, in spec order, `default` last.
    fn lower_responses(
        &mut self,
        operation: &'a openapiv3::Operation,
        pointer: &str,
        type_prefix: &str,
    ) -> (Vec<Response>, Vec<Response>) {
        let responses_pointer = pointer_push(pointer, "responses");
        let listed = operation
            .responses
            .responses
            .iter()
            .map(|(status, response)| {
                let pattern = match status {
                    StatusCode::Code(code) => StatusPattern::Code(*code),
                    StatusCode::Range(class) => StatusPattern::Class(*class),
                };
                (pattern, status.to_string(), response)
            });
        let default = operation
            .responses
            .default
            .iter()
            .map(|response| (StatusPattern::Default, "default".to_owned(), response));
        let mut success = Vec::new();
        let mut errors = Vec::new();
        let mut success_scope = Scope::new();
        let mut error_scope = Scope::new();
        for (status, key, response) in listed.chain(default) {
            let response_pointer = pointer_push(&responses_pointer, &key);
            let Some((response, resolved_pointer)) =
                self.resolve_response(response, &response_pointer)
            else {
                continue;
            };
            let variant = status_variant(status);
            let (scope, hint) = if is_success(status) {
                (&mut success_scope, format!("{type_prefix}Response"))
            } else {
                (&mut error_scope, format!("{type_prefix}{variant}"))
            };
            let variant_name = scope.claim(&variant);
            let body = pick_media(&response.content).map(|(content_type, media, encoding)| {
                let encoding = response_encoding(encoding);
                let schema_pointer = pointer_push(
                    &pointer_push(&pointer_push(&resolved_pointer, "content"), content_type),
                    "schema",
                );
                ResponseBody {
                    content_type: content_type.clone(),
                    encoding,
                    ty: self.body_type(media, encoding, &hint, &schema_pointer),
                }
            });
            let lowered = Response {
                status,
                variant_name,
                docs: Some(response.description.clone()).filter(|text| !text.trim().is_empty()),
                body,
            };
            if is_success(status) {
                success.push(lowered);
            } else {
                errors.push(lowered);
            }
        }
        if success.is_empty()
            && let Some(default) = errors.iter().find(|r| r.status == StatusPattern::Default)
        {
            success.push(default.clone());
        }
        (success, errors)
    }

    /// One type when every success response carries the same body, else an enum.
    fn success_type(&mut self, success: &[Response], type_prefix: &str) -> SuccessType {
        let mut bodies = success
            .iter()
            .map(|response| response.body.as_ref().map(|body| &body.ty));
        let first = bodies.next().flatten();
        if bodies.all(|body| body == first) {
            SuccessType::Single(first.cloned())
        } else {
            SuccessType::Enum(self.claim_type_name(&format!("{type_prefix}Success")))
        }
    }
}

/// `ty` with bytes read as a file: a binary property of a form or multipart body is a file.
fn as_file(ty: &TypeRef) -> TypeRef {
    match ty {
        TypeRef::Bytes => TypeRef::File,
        TypeRef::List(item) => TypeRef::List(Box::new(as_file(item))),
        TypeRef::Nullable(inner) => TypeRef::Nullable(Box::new(as_file(inner))),
        other => other.clone(),
    }
}

/// How a list parameter is written, from its location, `style` and `explode`.
fn list_format(parameter: &Parameter) -> ListFormat {
    let Parameter::Query {
        parameter_data,
        style,
        ..
    } = parameter
    else {
        return ListFormat::Delimited(",".to_owned());
    };
    let (separator, explode_by_default) = match style {
        QueryStyle::Form | QueryStyle::DeepObject => (",", true),
        QueryStyle::SpaceDelimited => (" ", false),
        QueryStyle::PipeDelimited => ("|", false),
    };
    if parameter_data.explode.unwrap_or(explode_by_default) {
        ListFormat::Repeated
    } else {
        ListFormat::Delimited(separator.to_owned())
    }
}

fn location_key(parameter: &Parameter) -> &'static str {
    match parameter {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}
