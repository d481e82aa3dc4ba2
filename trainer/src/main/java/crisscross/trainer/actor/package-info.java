/**
 * The run as actors (Pekko Typed): run supervisor, data feed (stream enters with backpressure), trainer (owns
 * the model; restarted with backoff on failure, reloading the last good checkpoint), checkpoint writer (off the
 * training thread) and health monitor.
 */
package crisscross.trainer.actor;
