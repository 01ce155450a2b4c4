//! The per-tag cargo features: one feature per operation module (the operations of one tag),
//! and for every type the features whose operations reach it, so that a user of one tag
//! compiles only that tag's operations and the types they use.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::passes::reachable;
use crate::model::{Operation, TagFeature, TypeDef, TypeRef};
use crate::naming;

/// Names a feature for every operation module and records in [`TypeDef::features`] which
/// features need each type. A type that no operation reaches (a webhook payload, a schema
/// nothing refers to) comes with [`naming::FULL_FEATURE`], and so does every type it uses,
/// besides the tags that need that type; a type every tag needs is always compiled (so is every
/// type of a spec without operations).
pub(super) fn tag_features(
    types: &mut [TypeDef],
    index: &HashMap<String, usize>,
    operations: &[Operation],
) -> Vec<TagFeature> {
    let mut modules: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for operation in operations {
        modules
            .entry(operation.module.as_str())
            .or_default()
            .push(operation);
    }
    let mut scope = naming::feature_scope();
    let mut needed_by: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); types.len()];
    let mut features = Vec::new();
    for (module, members) in &modules {
        let tag = members.first().and_then(|operation| operation.tag.clone());
        let name = scope.claim(&naming::feature_ident(
            tag.as_deref().unwrap_or("untagged"),
            "untagged",
        ));
        let roots = members.iter().flat_map(|operation| operation.type_refs());
        for position in reachable(types, index, roots) {
            if let Some(set) = needed_by.get_mut(position) {
                set.insert(module);
            }
        }
        features.push(TagFeature {
            name,
            module: (*module).to_owned(),
            tag,
        });
    }
    let unreached = types
        .iter()
        .zip(&needed_by)
        .filter(|(_, set)| set.is_empty())
        .map(|(definition, _)| TypeRef::Named(definition.name.clone()))
        .collect::<Vec<_>>();
    let with_full = reachable(types, index, unreached.iter());
    let name_of: HashMap<&str, &str> = features
        .iter()
        .map(|feature| (feature.module.as_str(), feature.name.as_str()))
        .collect();
    for (position, (definition, set)) in types.iter_mut().zip(&needed_by).enumerate() {
        definition.features = if set.len() == modules.len() {
            Vec::new()
        } else {
            let mut names: Vec<String> = set
                .iter()
                .filter_map(|module| name_of.get(module).map(|name| (*name).to_owned()))
                .collect();
            if with_full.contains(&position) {
                names.push(naming::FULL_FEATURE.to_owned());
            }
            names.sort();
            names
        };
    }
    features
}
