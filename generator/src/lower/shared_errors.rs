//! Error enums shared by operations: operations that document the same error responses get one
//! enum between them, and each keeps its own error type's name as an alias of it, so that a
//! large spec does not compile hundreds of identical enums.

use std::collections::{BTreeSet, HashMap};

use super::features::Gates;
use crate::model::{Operation, Response, SharedError, TagFeature};
use crate::naming::{self, Scope};

/// Finds the operations whose [`Operation::errors`] are equal (in every field: status, variant
/// name, description and body, so that their enums would print the same), and for each such set
/// used by more than one operation, names a [`SharedError`] in `type_scope` (after every other
/// type, so no other name changes) and records it in the operations' [`Operation::shared_error`].
/// Shared enums come in the order of their first operation; an operation whose errors no other
/// operation has keeps its own enum.
pub(super) fn share_error_enums(
    operations: &mut [Operation],
    features: &[TagFeature],
    type_scope: &mut Scope,
) -> Vec<SharedError> {
    let mut group_of_errors: HashMap<&[Response], usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (position, operation) in operations.iter().enumerate() {
        let group = *group_of_errors
            .entry(operation.errors.as_slice())
            .or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
        groups[group].push(position);
    }
    let gates = Gates::new(features);
    let mut shared = Vec::new();
    for members in groups.iter().filter(|members| members.len() > 1) {
        let errors = operations[members[0]].errors.clone();
        let variants: Vec<&str> = errors
            .iter()
            .map(|response| response.variant_name.as_str())
            .collect();
        let name = type_scope.claim(&naming::shared_error_name(&variants));
        let modules: BTreeSet<&str> = members
            .iter()
            .map(|&position| operations[position].module.as_str())
            .collect();
        let features = gates.features(&modules);
        for &position in members {
            operations[position].shared_error = Some(name.clone());
        }
        shared.push(SharedError {
            name,
            errors,
            operations: members.len(),
            features,
        });
    }
    shared
}
