/**
 * The Stream Load protocol of StarRocks/CelerData and Apache Doris, apart from any job logic:
 * {@link io.inlet.streamload.StreamLoadClient} loads bodies under labels, follows the FE's
 * redirect to a BE with {@code Expect: 100-continue}, fails over between FEs, drives StarRocks'
 * transaction interface and Doris' two-phase commit, reads label states, and classifies answers
 * ({@link io.inlet.streamload.StreamLoadResponse.Outcome}). See {@code README-streamload.md}.
 */
package io.inlet.streamload;
