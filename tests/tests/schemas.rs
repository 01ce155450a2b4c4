//! Behaviour of generated types, one fixture client per schema feature: unions with and without a
//! discriminator, integer enums, absent versus `null`, maps, and names. Each test decodes and
//! encodes JSON through the committed, generated types.

use serde_json::{Value, json};

/// Decodes `value` into `T` and encodes it back.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: &Value) -> (T, Value) {
    let decoded: T = serde_json::from_value(value.clone()).expect("the value decodes");
    let encoded = serde_json::to_value(&decoded).expect("the value encodes");
    (decoded, encoded)
}

/// How many times `key` appears in the JSON text of `value`.
fn occurrences(value: &impl serde::Serialize, key: &str) -> usize {
    let text = serde_json::to_string(value).expect("the value encodes");
    text.matches(&format!("\"{key}\":")).count()
}

mod discriminated_union {
    use super::*;
    use oneof_discriminator_client::{Ball, Cat, Dog, Owner, Pet, PetKind, Rope, Shape, Toy};

    #[test]
    fn the_variants_own_tag_property_decodes_and_is_written_once() {
        let json = json!({"kind": "DOG", "name": "Rex", "good_boy": true});
        let (pet, encoded) = round_trip::<Pet>(&json);
        let Pet::Dog(dog) = &pet else {
            panic!("decoded as {pet:?}")
        };
        assert_eq!(dog.kind, PetKind::Dog);
        assert_eq!(dog.name, "Rex");
        assert_eq!(encoded, json);
        assert_eq!(occurrences(&pet, "kind"), 1);
    }

    #[test]
    fn a_mapping_to_a_bare_schema_name_selects_that_schema() {
        let json = json!({"kind": "CAT", "lives": 9});
        let (pet, encoded) = round_trip::<Pet>(&json);
        assert_eq!(pet, Pet::Cat(Cat::new("CAT", 9)));
        assert_eq!(encoded, json);
    }

    #[test]
    fn without_a_mapping_the_tag_is_the_schema_name_and_is_added_once() {
        let json = json!({"toy_type": "Ball", "diameter": 2.5});
        let (toy, encoded) = round_trip::<Toy>(&json);
        assert_eq!(toy, Toy::Ball(Ball { diameter: 2.5 }));
        assert_eq!(encoded, json);
        let rope = serde_json::to_value(Toy::Rope(Rope::default())).expect("encodes");
        assert_eq!(rope, json!({"toy_type": "Rope"}));
    }

    #[test]
    fn an_unknown_tag_keeps_the_raw_value_and_does_not_fail_the_list() {
        let json = json!([
            {"kind": "DOG", "name": "Rex"},
            {"kind": "PARROT", "words": ["hello"]}
        ]);
        let (pets, encoded) = round_trip::<Vec<Pet>>(&json);
        assert!(matches!(pets[0], Pet::Dog(_)));
        assert_eq!(
            pets[1],
            Pet::Unknown(json!({"kind": "PARROT", "words": ["hello"]}))
        );
        assert_eq!(encoded, json);
    }

    #[test]
    fn without_a_mapping_a_member_that_fixes_its_tag_is_selected_by_that_value() {
        let (shape, encoded) = round_trip::<Shape>(&json!({"kind": "circle", "radius": 1.5}));
        assert!(
            matches!(&shape, Shape::Circle(circle) if circle.radius == 1.5),
            "{shape:?}"
        );
        assert_eq!(encoded, json!({"kind": "circle", "radius": 1.5}));
        let (shape, _) = round_trip::<Shape>(&json!({"kind": "square", "side": 2.0}));
        assert!(
            matches!(&shape, Shape::Square(square) if square.side == 2.0),
            "{shape:?}"
        );
    }

    #[test]
    fn a_known_tag_with_a_bad_payload_is_kept_as_json() {
        let json = json!({"kind": "CAT", "lives": "nine"});
        let (pet, encoded) = round_trip::<Pet>(&json);
        assert_eq!(pet, Pet::Unknown(json.clone()));
        assert_eq!(encoded, json);
    }

    #[test]
    fn a_tag_whose_variant_rejects_the_value_never_becomes_another_variant() {
        // The fields fit `Cat`, but the tag says `DOG`, whose type needs a `name`.
        let json = json!({"kind": "DOG", "lives": 9});
        let (pet, encoded) = round_trip::<Pet>(&json);
        assert_eq!(pet, Pet::Unknown(json.clone()));
        assert_eq!(encoded, json);
    }

    #[test]
    fn a_nullable_union_property_decodes_null_and_values() {
        let (owner, _) = round_trip::<Owner>(&json!({"name": "Ann", "favourite": null}));
        assert_eq!(owner.favourite, None);
        let json = json!({"name": "Ann", "favourite": {"kind": "DOG", "name": "Rex"}});
        let (owner, encoded) = round_trip::<Owner>(&json);
        assert!(matches!(
            owner.favourite,
            Some(oneof_discriminator_client::OwnerFavourite::Dog(_))
        ));
        assert_eq!(encoded, json);
    }

    #[test]
    fn variants_convert_into_the_union() {
        let pet: Pet = Dog::new(PetKind::Dog, "Rex").into();
        assert_eq!(
            serde_json::to_value(pet).expect("encodes"),
            json!({"kind": "DOG", "name": "Rex"})
        );
    }
}

mod untagged_union {
    use super::*;
    use oneof_untagged_client::{
        Backend, GitSource, Port, PortVariant, PortVariantSelectors, Setting, SettingValue, Source,
    };

    #[test]
    fn scalars_decode_into_the_variant_of_their_json_type() {
        for (json, expected) in [
            (json!("text"), SettingValue::String("text".to_owned())),
            (json!(true), SettingValue::Bool(true)),
            (json!(42), SettingValue::Integer(42)),
            (json!(1.5), SettingValue::Number(1.5)),
        ] {
            let (value, encoded) = round_trip::<SettingValue>(&json);
            assert_eq!(value, expected);
            assert_eq!(encoded, json);
        }
        let (value, _) = round_trip::<SettingValue>(&json!("2024-05-01T10:00:00Z"));
        assert!(matches!(value, SettingValue::DateTime(_)), "{value:?}");
    }

    #[test]
    fn the_most_specific_object_variant_wins() {
        let with_token = json!({"url": "https://git", "token": "secret"});
        let (source, encoded) = round_trip::<Source>(&with_token);
        assert!(
            matches!(source, Source::GitSourceWithCredentials(_)),
            "{source:?}"
        );
        assert_eq!(encoded, with_token);
        let plain = json!({"url": "https://git", "branch": "main"});
        let (source, encoded) = round_trip::<Source>(&plain);
        assert_eq!(
            source,
            Source::GitSource(GitSource {
                url: "https://git".to_owned(),
                branch: Some("main".to_owned()),
            })
        );
        assert_eq!(encoded, plain);
    }

    #[test]
    fn inline_members_are_named_after_their_only_required_property() {
        let json = json!({"user_provided": {"bucket": "b"}});
        let (backend, encoded) = round_trip::<Backend>(&json);
        assert!(matches!(backend, Backend::UserProvided(_)), "{backend:?}");
        assert_eq!(encoded, json);
    }

    #[test]
    fn a_oneof_in_an_allof_is_flattened_into_the_object() {
        let json = json!({"internal_port": 80, "selectors": ["app=web"]});
        let (port, encoded) = round_trip::<Port>(&json);
        assert_eq!(
            port,
            Port::new(
                80,
                PortVariant::Selectors(PortVariantSelectors::new(vec!["app=web".to_owned()]))
            )
        );
        assert_eq!(encoded, json);
    }

    #[test]
    fn a_value_no_variant_accepts_is_an_error() {
        let error =
            serde_json::from_value::<Setting>(json!({"value": [1], "source": {"url": "u"}}))
                .expect_err("an array is no variant of the value");
        assert!(
            error.to_string().contains("no variant of SettingValue"),
            "{error}"
        );
    }
}

mod integer_enum {
    use super::*;
    use integer_enum_client::{Job, JobExitCode, Priority};

    #[test]
    fn known_values_use_x_enum_varnames_and_unknown_ones_are_kept() {
        let json = json!([{"priority": 3, "exit_code": -1}, {"priority": 7}]);
        let (jobs, encoded) = round_trip::<Vec<Job>>(&json);
        assert_eq!(jobs[0].priority, Priority::High);
        assert_eq!(jobs[0].exit_code, Some(JobExitCode::Minus1));
        assert_eq!(jobs[1].priority, Priority::Unknown(7));
        assert_eq!(encoded, json);
        assert_eq!(Priority::Normal.to_string(), "2");
    }
}

mod nullable_and_maps {
    use super::*;
    use nullable_patch_client::{Nullable, Project, ProjectEdit};

    #[test]
    fn a_patch_body_tells_absent_from_null() {
        let keep = ProjectEdit::default();
        assert_eq!(serde_json::to_value(&keep).expect("encodes"), json!({}));
        let clear = ProjectEdit {
            description: Nullable::Null,
            ..ProjectEdit::default()
        };
        assert_eq!(
            serde_json::to_value(&clear).expect("encodes"),
            json!({"description": null})
        );
        let set = ProjectEdit {
            description: "new".to_owned().into(),
            name: Some("web".to_owned()),
            ..ProjectEdit::default()
        };
        assert_eq!(
            serde_json::to_value(&set).expect("encodes"),
            json!({"name": "web", "description": "new"})
        );
        for json in [
            json!({}),
            json!({"labels": null}),
            json!({"labels": {"a": "b"}}),
            json!({"variables": {"keep": {"value": "v"}, "remove": null}}),
        ] {
            assert_eq!(round_trip::<ProjectEdit>(&json).1, json);
        }
    }

    #[test]
    fn a_response_only_type_uses_a_plain_option_and_keeps_maps() {
        let json = json!({
            "id": "8d6a3b7e-1c39-4c83-a1a4-3d2b8f0e9a11",
            "name": "web",
            "description": null,
            "settings": {"any": ["thing", 1]},
            "annotations": {"team": {"name": "core"}},
            "counters": {"total": 3, "errors": 1},
            "commits": [{"sha": "abc"}, null]
        });
        let (project, encoded) = round_trip::<Project>(&json);
        assert_eq!(project.description, None);
        let counters = project.counters.as_ref().expect("counters decode");
        assert_eq!(counters.total, Some(3));
        assert_eq!(counters.additional_properties.get("errors"), Some(&1));
        let commits = project.commits.as_ref().expect("commits decode");
        assert_eq!(commits[1], None, "a null item of a nullable component");
        let mut expected = json.clone();
        expected
            .as_object_mut()
            .expect("an object")
            .remove("description");
        assert_eq!(encoded, expected);
    }
}

mod names {
    use super::*;
    use names_client::{Type, Type2, Type2Kind};

    #[test]
    fn keywords_and_colliding_names_keep_their_wire_names() {
        let json = json!({
            "type": "t", "self": "s", "crate": true, "async": 1,
            "fooBar": "camel", "foo_bar": "snake", "2fa": false, "@id": "i"
        });
        let (value, encoded) = round_trip::<Type>(&json);
        assert_eq!(value.r#type.as_deref(), Some("t"));
        assert_eq!(value.self_.as_deref(), Some("s"));
        assert_eq!(value.foo_bar.as_deref(), Some("camel"));
        assert_eq!(value.foo_bar2.as_deref(), Some("snake"));
        assert_eq!(encoded, json);
        let json = json!({"kind": "a_b"});
        let (value, encoded) = round_trip::<Type2>(&json);
        assert_eq!(value.kind, Some(Type2Kind::AB2));
        assert_eq!(encoded, json);
        assert_eq!(Type2Kind::from("Unknown"), Type2Kind::Unknown);
        assert_eq!(Type2Kind::from("new"), Type2Kind::Other("new".to_owned()));
    }
}

mod union_shapes {
    use super::*;
    use union_shapes_client::{Entry, EntryId, EntryLevel, EntrySource, Payment, PaymentVariant};

    #[test]
    fn a_union_of_enums_is_one_open_enum_and_its_null_member_makes_it_nullable() {
        let (entry, encoded) = round_trip::<Entry>(&json!({"source": ""}));
        assert_eq!(entry.source.value(), Some(&EntrySource::Empty));
        assert_eq!(encoded, json!({"source": ""}));
        let (entry, encoded) = round_trip::<Entry>(&json!({"source": null}));
        assert!(!entry.source.is_absent() && entry.source.value().is_none());
        assert_eq!(encoded, json!({"source": null}));
        let (entry, _) = round_trip::<Entry>(&json!({"source": "kiosk"}));
        assert_eq!(
            entry.source.value(),
            Some(&EntrySource::Unknown("kiosk".to_owned()))
        );
    }

    #[test]
    fn a_string_or_an_integer_keeps_its_json_type() {
        let (entry, encoded) = round_trip::<Entry>(&json!({"id": 7, "level": 2}));
        assert_eq!(entry.id, Some(EntryId::Integer(7)));
        assert_eq!(entry.level, Some(EntryLevel::V2));
        assert_eq!(encoded, json!({"id": 7, "level": 2}));
        let (entry, _) = round_trip::<Entry>(&json!({"id": "7"}));
        assert_eq!(entry.id, Some(EntryId::String("7".to_owned())));
    }

    #[test]
    fn alternatives_beside_properties_are_flattened_into_the_object() {
        let json = json!({"amount": 5, "iban": "DE00"});
        let (payment, encoded) = round_trip::<Payment>(&json);
        assert_eq!(payment.amount, 5);
        let PaymentVariant::Bank(bank) = &payment.variant else {
            panic!("decoded as {payment:?}")
        };
        assert_eq!(bank.iban, "DE00");
        assert_eq!(encoded, json);
    }
}
