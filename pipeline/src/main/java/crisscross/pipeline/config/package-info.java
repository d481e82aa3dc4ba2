/**
 * HOCON configuration: layered loading (defaults, named files, {@code --set} overrides), refusal of unknown
 * keys, and typed access whose errors name the key and the file it came from.
 */
package crisscross.pipeline.config;
