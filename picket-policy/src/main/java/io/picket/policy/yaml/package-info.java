/**
 * YAML of the tenant policy files read as a tree that remembers where every key and value is
 * written, so each policy error names its file, line and column.
 */
package io.picket.policy.yaml;
