package dev.keel.tenancy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.keel.shared.KeelProblemException;
import dev.keel.shared.KeelProblemException.FieldProblem;
import dev.keel.shared.Page;
import dev.keel.shared.ProblemType;

/**
 * The tenant lifecycle: create, suspend, resume, soft delete. Each change publishes a past-tense
 * event inside its transaction, so listeners (the audit trail) commit or roll back with it.
 */
@Service
public class TenantManagement {

	/** Lowercase letters, digits and inner hyphens, 3 to 63 characters (a DNS label). */
	static final Pattern SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$");

	private final Tenants tenants;

	private final TransactionTemplate tx;

	private final ApplicationEventPublisher events;

	private final TenancyProperties properties;

	private final Clock clock;

	TenantManagement(Tenants tenants, TransactionTemplate tx, ApplicationEventPublisher events, TenancyProperties properties,
			Clock clock) {
		this.tenants = tenants;
		this.tx = tx;
		this.events = events;
		this.properties = properties;
		this.clock = clock;
	}

	public Tenants.Tenant create(String slug, String name) {
		List<FieldProblem> problems = new ArrayList<>();
		problems.addAll(slugProblems(slug));
		if (name == null || name.isBlank()) {
			problems.add(new FieldProblem("name", "required", "is required"));
		}
		else if (name.length() > 200) {
			problems.add(new FieldProblem("name", "length", "must be at most 200 characters"));
		}
		if (!problems.isEmpty()) {
			throw new KeelProblemException(ProblemType.VALIDATION_FAILED, problems.size() + " field(s) failed validation", problems);
		}
		try {
			return TenantScope.call(TenantScope.PLATFORM, () -> this.tx.execute((s) -> {
				Tenants.Tenant created = this.tenants.create(slug, name.strip());
				this.events.publishEvent(new TenantCreated(created));
				return created;
			}));
		}
		catch (DuplicateKeyException ex) {
			throw new KeelProblemException(ProblemType.CONFLICT, "A tenant with slug '" + slug + "' already exists",
					List.of(new FieldProblem("slug", "unique", "is already taken")));
		}
	}

	static List<FieldProblem> slugProblems(String slug) {
		if (slug == null || slug.isBlank()) {
			return List.of(new FieldProblem("slug", "required", "is required"));
		}
		List<FieldProblem> problems = new ArrayList<>();
		if (slug.length() < 3 || slug.length() > 63) {
			problems.add(new FieldProblem("slug", "length", "must be 3 to 63 characters long"));
		}
		if (!slug.equals(slug.toLowerCase(java.util.Locale.ROOT))) {
			problems.add(new FieldProblem("slug", "lowercase", "must be lowercase"));
		}
		if (problems.isEmpty() && !SLUG.matcher(slug).matches()) {
			problems.add(new FieldProblem("slug", "pattern",
					"may contain only a-z, 0-9 and hyphens, and must start and end with a letter or digit"));
		}
		return problems;
	}

	public Page<Tenants.Tenant> list(String cursor, String status, int limit) {
		if (status != null && !List.of(Tenants.Tenant.ACTIVE, Tenants.Tenant.SUSPENDED, Tenants.Tenant.DELETED).contains(status)) {
			throw new KeelProblemException(ProblemType.VALIDATION_FAILED, "status must be active, suspended or deleted",
					List.of(new FieldProblem("status", "oneOf", "must be active, suspended or deleted")));
		}
		List<Tenants.Tenant> rows = this.tenants.page(Page.decodeCursor(cursor), status, limit + 1);
		return Page.of(rows, limit, Tenants.Tenant::slug);
	}

	public Tenants.Tenant get(UUID id) {
		return this.tenants.byId(id).orElseThrow(() -> notFound(id));
	}

	public Tenants.Tenant suspend(UUID id) {
		return transition(id, Tenants.Tenant.SUSPENDED, TenantSuspended::new).after();
	}

	public Tenants.Tenant resume(UUID id) {
		return transition(id, Tenants.Tenant.ACTIVE, TenantResumed::new).after();
	}

	/** Soft delete: the tenant stops working at once; its data is purged after the grace period. */
	public TenantDeleted delete(UUID id) {
		Instant purgeAfter = this.clock.instant().plus(Duration.ofDays(this.properties.purgeGraceDays()));
		Transition t = transition(id, Tenants.Tenant.DELETED, (before, after) -> new TenantDeleted(before, after, purgeAfter));
		return new TenantDeleted(t.before(), t.after(), purgeAfter);
	}

	private Transition transition(UUID id, String status, BiFunction<Tenants.Tenant, Tenants.Tenant, Object> event) {
		if (TenantScope.PLATFORM.equals(id)) {
			throw new KeelProblemException(ProblemType.CONFLICT, "The platform tenant cannot be suspended or deleted");
		}
		return TenantScope.call(TenantScope.PLATFORM, () -> this.tx.execute((s) -> {
			Tenants.Tenant before = this.tenants.byId(id).orElseThrow(() -> notFound(id));
			if (Tenants.Tenant.DELETED.equals(before.status())) {
				throw new KeelProblemException(ProblemType.CONFLICT, "Tenant " + id + " is deleted");
			}
			if (before.status().equals(status)) {
				return new Transition(before, before);
			}
			Tenants.Tenant after = this.tenants.setStatus(id, status).orElseThrow(() -> notFound(id));
			this.events.publishEvent(event.apply(before, after));
			return new Transition(before, after);
		}));
	}

	private record Transition(Tenants.Tenant before, Tenants.Tenant after) {
	}

	private static KeelProblemException notFound(UUID id) {
		return new KeelProblemException(ProblemType.NOT_FOUND, "No tenant " + id);
	}

}
