package dev.keel.audit;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.keel.tenancy.TenantCreated;
import dev.keel.tenancy.TenantDeleted;
import dev.keel.tenancy.TenantResumed;
import dev.keel.tenancy.TenantScope;
import dev.keel.tenancy.TenantSuspended;

/**
 * Records tenant lifecycle changes in the platform tenant's chain. Synchronous listeners: the
 * events are published inside the change's transaction, so the record commits with it.
 */
@Component
class TenantAuditListener {

	private final AuditTrail trail;

	TenantAuditListener(AuditTrail trail) {
		this.trail = trail;
	}

	@EventListener
	void on(TenantCreated e) {
		this.trail.record(TenantScope.PLATFORM, AuditEntry.of("tenant.created", "tenant", e.tenant().id(), null, e.tenant()));
	}

	@EventListener
	void on(TenantSuspended e) {
		this.trail.record(TenantScope.PLATFORM, AuditEntry.of("tenant.suspended", "tenant", e.after().id(), e.before(), e.after()));
	}

	@EventListener
	void on(TenantResumed e) {
		this.trail.record(TenantScope.PLATFORM, AuditEntry.of("tenant.resumed", "tenant", e.after().id(), e.before(), e.after()));
	}

	@EventListener
	void on(TenantDeleted e) {
		this.trail.record(TenantScope.PLATFORM, AuditEntry.of("tenant.deleted", "tenant", e.after().id(), e.before(), e.after()));
	}

}
