package dev.keel.audit;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/** One audit record as stored (before/after already redacted). */
public record AuditRecord(UUID id, UUID tenantId, long seq, Instant occurredAt, UUID actorId, String actor, String action,
		String resourceType, String resourceId, JsonNode before, JsonNode after, String correlationId, String ip,
		String prevHash, String hash) {
}
