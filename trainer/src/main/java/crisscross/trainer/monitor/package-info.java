/**
 * What operators see: a Prometheus metrics registry, the HTTP monitor (health, readiness, metrics, status,
 * dashboard) and its token-protected control actions.
 */
package crisscross.trainer.monitor;
