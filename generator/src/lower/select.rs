//! The configuration's `include` and `exclude`: which operations are generated, and which types
//! they still need.

use std::collections::HashMap;

use super::passes::reachable;
use crate::config::Config;
use crate::model::{Operation, TypeDef};

/// Keeps the operations the configuration selects and, when it selects any, only the types they
/// reach (through parameters, bodies and responses). Returns whether any type was removed.
pub(super) fn keep_selected(
    operations: &mut Vec<Operation>,
    types: &mut Vec<TypeDef>,
    config: &Config,
) -> bool {
    if config.include.is_empty() && config.exclude.is_empty() {
        return false;
    }
    operations.retain(|operation| {
        let selects = |selection: &crate::config::Selection| {
            selection.selects(&operation.tags, &operation.id, &operation.path)
        };
        (config.include.is_empty() || selects(&config.include)) && !selects(&config.exclude)
    });
    let index: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(position, definition)| (definition.name.clone(), position))
        .collect();
    let roots = operations.iter().flat_map(Operation::type_refs);
    let kept = reachable(types, &index, roots);
    let before = types.len();
    let mut position = 0;
    types.retain(|_| {
        let keep = kept.contains(&position);
        position += 1;
        keep
    });
    types.len() != before
}
