/**
 * The file pipeline: uploads validated before anything is stored (allowlist, per-type limits, names,
 * magic bytes, ZIP bombs, polyglots), scanned by clamd (fail closed), kept in object storage under
 * {@code tenants/{tenantId}/{category}/{fileId}/{name}}, images optimised by the {@code file-process}
 * job, per-tenant usage and quota, authenticated downloads and HMAC-signed links. Entry service:
 * {@link dev.keel.files.FileStore}.
 */
@org.springframework.modulith.ApplicationModule(
		allowedDependencies = { "storage", "jobs", "tenancy", "audit", "identity", "observability", "shared" })
package dev.keel.files;
