package dev.keel.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.keel.audit.AuditEntry;
import dev.keel.audit.AuditTrail;
import dev.keel.shared.KeelProblemException;
import dev.keel.shared.KeelProblemException.FieldProblem;
import dev.keel.shared.Page;
import dev.keel.shared.ProblemType;
import dev.keel.tenancy.TenantScope;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Users of the current tenant ({@link TenantScope}): every query runs in a transaction bound to it, so
 * another tenant's user id simply is not found. Every change is audited with before/after.
 */
@Service
class UserManagement {

	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

	private static final Set<String> STATUSES = Set.of("active", "disabled");

	private final UserRepository users;

	private final PasswordEncoder encoder;

	private final PasswordPolicy policy;

	private final TransactionTemplate tx;

	private final AuditTrail audit;

	UserManagement(UserRepository users, PasswordEncoder encoder, PasswordPolicy policy, TransactionTemplate tx, AuditTrail audit) {
		this.users = users;
		this.encoder = encoder;
		this.policy = policy;
		this.tx = tx;
		this.audit = audit;
	}

	Page<UserRepository.UserView> list(String cursor, int limit) {
		List<UserRepository.User> rows = this.tx.execute((s) -> this.users.page(Page.decodeCursor(cursor), limit + 1));
		Page<UserRepository.User> page = Page.of(rows, limit, (u) -> u.email().toLowerCase(java.util.Locale.ROOT));
		return new Page<>(page.items().stream().map(UserRepository.User::view).toList(), page.nextCursor());
	}

	UserRepository.UserView get(UUID id) {
		return this.tx.execute((s) -> this.users.byId(id)).map(UserRepository.User::view).orElseThrow(() -> notFound(id));
	}

	UserRepository.UserView create(String email, String password, List<String> roles, KeelPrincipal actor) {
		List<FieldProblem> problems = new ArrayList<>();
		if (email == null || !EMAIL.matcher(email).matches() || email.length() > 254) {
			problems.add(new FieldProblem("email", "email", "must be a valid email address"));
		}
		problems.addAll(this.policy.check("password", password, email));
		List<String> effectiveRoles = (roles == null || roles.isEmpty()) ? List.of(Role.MEMBER) : roles;
		problems.addAll(roleProblems(effectiveRoles, actor));
		if (!problems.isEmpty()) {
			throw new KeelProblemException(ProblemType.VALIDATION_FAILED, problems.size() + " field(s) failed validation", problems);
		}
		String hash = this.encoder.encode(password);
		try {
			return this.tx.execute((s) -> {
				UserRepository.User created = this.users.insert(email.strip(), hash, effectiveRoles);
				this.audit.record(created.tenantId(), AuditEntry.of("user.created", "user", created.id(), null, created.view()));
				return created.view();
			});
		}
		catch (DuplicateKeyException ex) {
			throw new KeelProblemException(ProblemType.CONFLICT, "A user with this email already exists in the tenant",
					List.of(new FieldProblem("email", "unique", "is already registered in this tenant")));
		}
	}

	UserRepository.UserView update(UUID id, List<String> roles, String status, String password, KeelPrincipal actor) {
		UserRepository.User existing = this.tx.execute((s) -> this.users.byId(id)).orElseThrow(() -> notFound(id));
		List<FieldProblem> problems = new ArrayList<>();
		if (roles != null) {
			problems.addAll(roleProblems(roles, actor));
			if (roles.isEmpty()) {
				problems.add(new FieldProblem("roles", "not-empty", "must name at least one role"));
			}
		}
		if (status != null && !STATUSES.contains(status)) {
			problems.add(new FieldProblem("status", "oneOf", "must be active or disabled"));
		}
		if (password != null) {
			problems.addAll(this.policy.check("password", password, existing.email()));
		}
		if (id.equals(actor.userId()) && status != null && !"active".equals(status)) {
			problems.add(new FieldProblem("status", "not-self", "you cannot disable your own account"));
		}
		if (!problems.isEmpty()) {
			throw new KeelProblemException(ProblemType.VALIDATION_FAILED, problems.size() + " field(s) failed validation", problems);
		}
		String hash = (password != null) ? this.encoder.encode(password) : null;
		return this.tx.execute((s) -> {
			UserRepository.User before = this.users.byId(id).orElseThrow(() -> notFound(id));
			UserRepository.User after = this.users.update(id, roles, status, hash).orElseThrow(() -> notFound(id));
			String action = (roles != null && !roles.equals(before.roles())) ? "user.roles-changed" : "user.updated";
			Object afterView = (hash != null) ? Map.of("user", after.view(), "password", "changed") : after.view();
			this.audit.record(after.tenantId(), AuditEntry.of(action, "user", id, before.view(), afterView));
			return after.view();
		});
	}

	void delete(UUID id, KeelPrincipal actor) {
		if (id.equals(actor.userId())) {
			throw new KeelProblemException(ProblemType.CONFLICT, "You cannot delete your own account");
		}
		this.tx.executeWithoutResult((s) -> {
			UserRepository.User before = this.users.byId(id).orElseThrow(() -> notFound(id));
			this.users.delete(id);
			this.audit.record(before.tenantId(), AuditEntry.of("user.deleted", "user", id, before.view(), null));
		});
	}

	private static List<FieldProblem> roleProblems(List<String> roles, KeelPrincipal actor) {
		List<FieldProblem> problems = new ArrayList<>();
		for (String role : roles) {
			if (Role.PLATFORM_ADMIN.equals(role)) {
				if (!actor.platformAdmin() || !TenantScope.PLATFORM.equals(TenantScope.current())) {
					problems.add(new FieldProblem("roles", "platform-admin",
							"platform_admin can only be granted by a platform admin in the platform tenant"));
				}
			}
			else if (!Role.TENANT_ADMIN.equals(role) && !Role.MEMBER.equals(role)) {
				problems.add(new FieldProblem("roles", "oneOf", "unknown role '" + role + "'; use tenant_admin or member"));
			}
		}
		return problems;
	}

	private static KeelProblemException notFound(UUID id) {
		return new KeelProblemException(ProblemType.NOT_FOUND, "No user " + id + " in this tenant");
	}

}
