package dev.keel.audit;

import java.util.UUID;

/**
 * What a module asks the trail to record. {@code before}/{@code after} are any JSON-serialisable
 * values; sensitive fields (passwords, hashes, tokens, secrets) are redacted before storing.
 *
 * @param actorId the acting user, {@code null} to take the current request's user
 * @param actor a readable actor (email, "system"), {@code null} for none
 */
public record AuditEntry(String action, String resourceType, String resourceId, Object before, Object after, UUID actorId,
		String actor) {

	public static AuditEntry of(String action, String resourceType, Object resourceId, Object before, Object after) {
		return new AuditEntry(action, resourceType, (resourceId != null) ? resourceId.toString() : null, before, after, null, null);
	}

	public AuditEntry by(UUID actorId, String actor) {
		return new AuditEntry(this.action, this.resourceType, this.resourceId, this.before, this.after, actorId, actor);
	}

}
