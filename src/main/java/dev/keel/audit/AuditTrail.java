package dev.keel.audit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.keel.observability.LogContext;
import dev.keel.observability.Redaction;
import dev.keel.shared.Page;
import dev.keel.tenancy.TenantScope;
import dev.keel.tenancy.Tenants;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The audit trail every module writes to. {@link #record} joins the caller's transaction when there
 * is one (the record commits or rolls back with the change it describes) and otherwise writes in its
 * own. Actor, correlation id and client IP come from the current request when not given.
 */
@Service
public class AuditTrail {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final List<String> HASH_KEYS = List.of("passwordhash", "password_hash", "tokenhash", "token_hash", "hash");

	private final AuditRepository repository;

	private final TransactionTemplate tx;

	private final Tenants tenants;

	AuditTrail(AuditRepository repository, TransactionTemplate tx, Tenants tenants) {
		this.repository = repository;
		this.tx = tx;
		this.tenants = tenants;
	}

	/** Appends {@code entry} to {@code tenantId}'s chain. */
	public void record(UUID tenantId, AuditEntry entry) {
		UUID actorId = entry.actorId();
		if (actorId == null && MDC.get(LogContext.USER_ID) != null) {
			actorId = UUID.fromString(MDC.get(LogContext.USER_ID));
		}
		AuditEntry complete = new AuditEntry(entry.action(), entry.resourceType(), entry.resourceId(), redact(entry.before()),
				redact(entry.after()), actorId, entry.actor());
		String correlationId = MDC.get(LogContext.CORRELATION_ID);
		String ip = clientIp();
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			this.repository.append(tenantId, complete, correlationId, ip);
		}
		else {
			TenantScope.run(tenantId, () -> this.tx.executeWithoutResult((s) -> this.repository.append(tenantId, complete, correlationId, ip)));
		}
	}

	/** A page of one tenant's trail, newest first. */
	public Page<AuditRecord> page(UUID tenantId, String cursor, String action, int limit) {
		String position = Page.decodeCursor(cursor);
		Long before;
		try {
			before = (position != null) ? Long.valueOf(position) : null;
		}
		catch (NumberFormatException ex) {
			before = -1L;
		}
		Long beforeSeq = before;
		List<AuditRecord> rows = TenantScope.call(tenantId, () -> this.tx.execute((s) -> this.repository.page(beforeSeq, action, limit + 1)));
		return Page.of(rows, limit, (r) -> Long.toString(r.seq()));
	}

	/** Recomputes every tenant's chain (or one tenant's) and reports the first broken link of each. */
	public Verification verify(UUID onlyTenant) {
		List<UUID> ids = (onlyTenant != null) ? List.of(onlyTenant) : this.tenants.allIds();
		List<ChainStatus> chains = new ArrayList<>();
		for (UUID id : ids) {
			chains.add(TenantScope.call(id, () -> this.tx.execute((s) -> {
				long records = this.repository.count();
				var broken = this.repository.firstBrokenLink().orElse(null);
				return new ChainStatus(id, records, broken == null,
						(broken != null) ? new BrokenLink(broken.seq(), broken.id(), broken.reason()) : null);
			})));
		}
		return new Verification(chains.stream().allMatch(ChainStatus::valid), chains);
	}

	static JsonNode redact(Object value) {
		if (value == null) {
			return null;
		}
		JsonNode node = JSON.valueToTree(value);
		redactInPlace(node);
		return node;
	}

	private static void redactInPlace(JsonNode node) {
		if (node instanceof ObjectNode object) {
			Map<String, JsonNode> replacements = new LinkedHashMap<>();
			for (Iterator<String> it = object.propertyNames().iterator(); it.hasNext();) {
				String key = it.next();
				if (Redaction.isSensitiveKey(key) || HASH_KEYS.contains(key.toLowerCase(java.util.Locale.ROOT))) {
					replacements.put(key, JSON.getNodeFactory().textNode(Redaction.MASK));
				}
				else {
					redactInPlace(object.get(key));
				}
			}
			replacements.forEach(object::set);
		}
		else if (node != null && node.isArray()) {
			node.forEach(AuditTrail::redactInPlace);
		}
	}

	private static String clientIp() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			return request.getRemoteAddr();
		}
		return null;
	}

	/** The result of {@link #verify}. */
	public record Verification(boolean valid, List<ChainStatus> chains) {
	}

	/** One tenant's chain. */
	public record ChainStatus(UUID tenantId, long records, boolean valid, BrokenLink firstBrokenLink) {
	}

	/** The first record whose hash, predecessor link or sequence number does not check out. */
	public record BrokenLink(long seq, UUID id, String reason) {
	}

}
