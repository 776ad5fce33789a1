/**
 * Object storage: one {@link dev.keel.storage.ObjectStore} interface (streamed put of unknown length,
 * get, head, delete, list by prefix, presign) with a filesystem implementation (default, under
 * {@code STORAGE_PATH}) and an S3-compatible one (AWS SDK v2). Keys are validated by
 * {@link dev.keel.storage.StorageKeys}; nothing outside that grammar reaches a backend. Depends on
 * {@code observability} (its health check), {@code jobs} (the hourly sweep of interrupted
 * filesystem writes) and {@code shared}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "jobs", "observability", "shared" })
package dev.keel.storage;
