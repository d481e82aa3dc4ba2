/**
 * Self-supervised methods on one training core: the {@link crisscross.trainer.method.Method} seam (views, heads,
 * loss, parameter groups, hooks, state) and the {@link crisscross.trainer.method.Methods} registry; one package per
 * method ({@code crisscross}, ...).
 */
package crisscross.trainer.method;
