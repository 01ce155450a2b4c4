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
    let gates = Gates::new(&features);
    for (position, (definition, set)) in types.iter_mut().zip(&needed_by).enumerate() {
        definition.features = gates.features(set);
        if with_full.contains(&position) && !gates.needed_by_every(set) {
            definition.features.push(naming::FULL_FEATURE.to_owned());
            definition.features.sort();
        }
    }
    features
}

/// Which features compile an item, from the operation modules that need it: one rule for types
/// and shared error enums.
pub(super) struct Gates<'f> {
    feature_of: HashMap<&'f str, &'f str>,
}

impl<'f> Gates<'f> {
    /// The gates of the crate whose tag features are `features`, one per operation module.
    pub(super) fn new(features: &'f [TagFeature]) -> Self {
        Self {
            feature_of: features
                .iter()
                .map(|feature| (feature.module.as_str(), feature.name.as_str()))
                .collect(),
        }
    }

    /// The features of the operation modules `modules`, sorted; none (always compiled) when
    /// every module needs the item.
    pub(super) fn features(&self, modules: &BTreeSet<&str>) -> Vec<String> {
        if self.needed_by_every(modules) {
            return Vec::new();
        }
        let names: BTreeSet<&str> = modules
            .iter()
            .filter_map(|module| self.feature_of.get(module).copied())
            .collect();
        names.into_iter().map(str::to_owned).collect()
    }

    /// Whether `modules` (distinct operation modules) are all the crate's modules.
    pub(super) fn needed_by_every(&self, modules: &BTreeSet<&str>) -> bool {
        modules.len() == self.feature_of.len()
    }
}
