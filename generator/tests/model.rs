//! What the model records about operation methods, for tools (such as a conformance harness)
//! that generate calls to every operation from it.

use std::path::Path;

use generator::model::{Api, Argument, ListFormat, Operation, PageAdvance, TypeRef};

/// The model lowered from the fixture `name`.
fn api(name: &str) -> Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{name}"));
    let text = std::fs::read_to_string(&path).expect("the fixture is readable");
    let loaded =
        generator::load::load(name, &text, &generator::load::NoFiles).expect("the fixture loads");
    generator::lower::lower(name, &loaded.document, &generator::Config::default()).0
}

/// The operations lowered from the fixture `name`.
fn operations(name: &str) -> Vec<Operation> {
    api(name).operations
}

#[test]
fn arguments_are_path_then_required_then_body_then_options() {
    let operations = operations("options_grouped.yaml");
    let list = &operations[0];
    assert_eq!(list.method_name, "list_members");
    assert_eq!(
        list.arguments,
        [
            Argument::Parameter("organization_id".to_owned()),
            Argument::Parameter("project_id".to_owned()),
            Argument::Parameter("role".to_owned()),
            Argument::Options,
        ]
    );
    assert_eq!(list.options_type.as_deref(), Some("ListMembersOptions"));
    assert_eq!(list.module, "members");
    assert_eq!(list.tag.as_deref(), Some("Members"));
    let optional: Vec<&str> = list
        .parameters
        .iter()
        .filter(|parameter| !parameter.required)
        .map(|parameter| parameter.rust_name.as_str())
        .collect();
    assert_eq!(
        optional,
        [
            "page",
            "min_score",
            "name",
            "since",
            "status",
            "default2",
            "x_trace"
        ]
    );

    let add = &operations[1];
    assert_eq!(
        add.arguments,
        [
            Argument::Parameter("organization_id".to_owned()),
            Argument::Parameter("project_id".to_owned()),
            Argument::Body,
            Argument::Options,
        ]
    );
    assert_eq!(add.options_type.as_deref(), Some("AddMemberOptions"));
}

#[test]
fn operations_without_optional_parameters_have_no_options_type() {
    for operation in operations("multiple_success.yaml") {
        assert_eq!(operation.options_type, None, "{}", operation.id);
        assert!(!operation.arguments.contains(&Argument::Options));
        assert_eq!(operation.module, "default");
    }
}

#[test]
fn list_formats_follow_style_and_explode() {
    let operations = operations("query_arrays.yaml");
    let formats: Vec<(&str, &ListFormat)> = operations[0]
        .parameters
        .iter()
        .map(|parameter| (parameter.wire_name.as_str(), &parameter.list_format))
        .collect();
    let delimited = |separator: &str| ListFormat::Delimited(separator.to_owned());
    assert_eq!(
        formats,
        [
            ("id", &ListFormat::Repeated),
            ("tag", &delimited(",")),
            ("color", &ListFormat::Repeated),
            ("day", &delimited(",")),
            ("owner", &delimited("|")),
            ("word", &delimited(" ")),
            ("active", &ListFormat::Repeated),
        ]
    );
}

/// The operations lowered from the wire-test spec, `tests/wire-spec.yaml`.
fn wire_operations() -> Vec<Operation> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/wire-spec.yaml");
    let text = std::fs::read_to_string(&path).expect("the wire spec is readable");
    let loaded = generator::load::load("wire-spec.yaml", &text, &generator::load::NoFiles)
        .expect("the spec loads");
    let (api, _) = generator::lower::lower(
        "wire-spec.yaml",
        &loaded.document,
        &generator::Config::default(),
    );
    api.operations
}

fn operation<'o>(operations: &'o [Operation], id: &str) -> &'o Operation {
    operations
        .iter()
        .find(|operation| operation.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

#[test]
fn pagination_is_detected_from_parameters_and_response_fields() {
    let operations = wire_operations();
    let events = operation(&operations, "listEvents")
        .pagination
        .as_ref()
        .expect("listEvents pages");
    assert_eq!(events.method_name, "list_events_stream");
    assert_eq!(events.items_field.as_deref(), Some("events"));
    assert_eq!(
        events.next,
        PageAdvance::Link {
            field: vec!["links".to_owned(), "next".to_owned()]
        }
    );
    let audit = operation(&operations, "listAuditEntries")
        .pagination
        .as_ref()
        .expect("listAuditEntries pages");
    assert_eq!(
        audit.next,
        PageAdvance::Cursor {
            parameter: "cursor".to_owned(),
            field: vec!["next_cursor".to_owned()]
        }
    );
    assert_eq!(audit.item_type, TypeRef::String);
    let items = operation(&operations, "listItems")
        .pagination
        .as_ref()
        .expect("listItems pages by number");
    assert_eq!(
        items.next,
        PageAdvance::PageNumber {
            parameter: "page".to_owned()
        }
    );
    assert_eq!(items.items_field, None);
    assert_eq!(operation(&operations, "listSnapshots").pagination, None);
    assert_eq!(operation(&operations, "startJob").pagination, None);
}

#[test]
fn security_requirements_are_kept_per_operation() {
    let operations = wire_operations();
    let schemes = |id: &str| -> Vec<Vec<String>> {
        operation(&operations, id)
            .security
            .iter()
            .map(|requirement| requirement.schemes.clone())
            .collect()
    };
    assert_eq!(schemes("getHealth"), Vec::<Vec<String>>::new());
    assert_eq!(schemes("listReports"), [["appKey", "appSecret"]]);
    assert_eq!(schemes("startJob"), [["bearerAuth"], ["basicAuth"]]);
}

#[test]
fn operations_with_the_same_error_responses_share_one_enum() {
    let api = api("shared_errors.yaml");
    let shared: Vec<(&str, usize, &[String])> = api
        .shared_errors
        .iter()
        .map(|shared| {
            (
                shared.name.as_str(),
                shared.operations,
                shared.features.as_slice(),
            )
        })
        .collect();
    // The schema `UnauthorizedNotFoundError` keeps its name; the two shared enums with those
    // variants (one with a 404 body, one without) are numbered in spec order.
    assert_eq!(
        shared,
        [
            (
                "UnauthorizedNotFoundError2",
                3,
                &["items".to_owned(), "orders".to_owned()][..]
            ),
            ("UnauthorizedNotFoundError3", 2, &["orders".to_owned()][..]),
            ("NoDocumentedError", 2, &["status".to_owned()][..]),
        ]
    );
    assert!(
        api.types
            .iter()
            .any(|definition| definition.name == "UnauthorizedNotFoundError")
    );
    let error_types: Vec<(&str, Option<&str>)> = api
        .operations
        .iter()
        .map(|operation| {
            (
                operation.error_type.as_str(),
                operation.shared_error.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        error_types,
        [
            ("GetItemError", Some("UnauthorizedNotFoundError2")),
            ("DeleteItemError", Some("UnauthorizedNotFoundError2")),
            ("GetOrderError", Some("UnauthorizedNotFoundError2")),
            // Its 404 has another description: its enum would print differently.
            ("CancelOrderError", None),
            ("ListOrdersError", Some("UnauthorizedNotFoundError3")),
            ("CreateOrderError", Some("UnauthorizedNotFoundError3")),
            ("HealthError", Some("NoDocumentedError")),
            ("VersionError", Some("NoDocumentedError")),
        ]
    );
}
