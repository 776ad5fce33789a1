package dev.keel.identity;

import java.util.UUID;

import dev.keel.shared.KeelPrincipal;
import dev.keel.tenancy.TenantScope;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Looks up platform-tenant users for HTTP Basic on the operations endpoints (health detail,
 * metrics, admin API). Roles become authorities {@code ROLE_<role>}.
 */
@Service
class PlatformAdminDetailsService implements UserDetailsService {

	private final UserRepository users;

	private final TransactionTemplate tx;

	PlatformAdminDetailsService(UserRepository users, TransactionTemplate tx) {
		this.users = users;
		this.tx = tx;
	}

	@Override
	public UserDetails loadUserByUsername(String email) {
		UserRepository.User user = TenantScope.call(TenantScope.PLATFORM, () -> this.tx.execute((s) -> this.users.byEmail(email)))
			.orElseThrow(() -> new UsernameNotFoundException("unknown user"));
		return new PlatformUser(user);
	}

	/** A platform-tenant user as Spring Security sees it; carries the ids for the logging context. */
	static final class PlatformUser extends User implements KeelPrincipal {

		private final UUID userId;

		private final UUID tenantId;

		PlatformUser(UserRepository.User user) {
			super(user.email(), user.passwordHash(), "active".equals(user.status()), true, true, true,
					user.roles().stream().map((r) -> new SimpleGrantedAuthority("ROLE_" + r)).toList());
			this.userId = user.id();
			this.tenantId = user.tenantId();
		}

		@Override
		public UUID userId() {
			return this.userId;
		}

		@Override
		public UUID tenantId() {
			return this.tenantId;
		}

	}

}
