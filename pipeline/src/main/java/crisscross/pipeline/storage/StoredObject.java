package crisscross.pipeline.storage;

/**
 * One object found by a listing.
 *
 * @param key the object's key (full key in a bucket listing; relative to the store's root in {@link ObjectStore})
 * @param size bytes
 */
public record StoredObject(String key, long size) {}
