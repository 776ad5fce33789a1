package dev.keel.identity;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keel.tenancy.TenantScope;
import dev.keel.tenancy.Tenants;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * First start: creates the platform admin when none exists (from {@code BOOTSTRAP_ADMIN_EMAIL} and
 * {@code BOOTSTRAP_ADMIN_PASSWORD}, or with a generated password) and, in dev, a {@code demo} tenant
 * with its own admin. Generated passwords are printed once to the console, never to the log
 * pipeline, so they do not end up in the stored logs.
 */
@Component
class BootstrapAccounts implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(BootstrapAccounts.class);

	private final UserRepository users;

	private final Tenants tenants;

	private final PasswordEncoder encoder;

	private final TransactionTemplate tx;

	private final IdentityProperties properties;

	private final boolean demoTenant;

	BootstrapAccounts(UserRepository users, Tenants tenants, PasswordEncoder encoder, TransactionTemplate tx,
			IdentityProperties properties, @Value("${keel.tenancy.bootstrap-demo-tenant:false}") boolean demoTenant) {
		this.users = users;
		this.tenants = tenants;
		this.encoder = encoder;
		this.tx = tx;
		this.properties = properties;
		this.demoTenant = demoTenant;
	}

	@Override
	public void run(ApplicationArguments args) {
		try {
			createPlatformAdmin();
			if (this.demoTenant) {
				createDemoTenant();
			}
		}
		catch (DataAccessException ex) {
			log.warn("First-start accounts not checked (is the schema migrated?): {}", ex.getMostSpecificCause().getMessage());
		}
	}

	private void createPlatformAdmin() {
		TenantScope.run(TenantScope.PLATFORM, () -> this.tx.executeWithoutResult((s) -> {
			if (this.users.anyWithRole(Role.PLATFORM_ADMIN)) {
				return;
			}
			String email = this.properties.bootstrapAdminEmail();
			Optional<String> given = Optional.ofNullable(this.properties.bootstrapAdminPassword()).filter((p) -> !p.isBlank());
			String password = given.orElseGet(BootstrapAccounts::generatePassword);
			UserRepository.User admin = this.users.insert(email, this.encoder.encode(password), List.of(Role.PLATFORM_ADMIN));
			log.info("Created the first platform admin {} (user {})", email, admin.id());
			if (given.isEmpty()) {
				printOnce("platform admin", "platform", email, password);
			}
		}));
	}

	private void createDemoTenant() {
		if (this.tenants.bySlug("demo").isPresent()) {
			return;
		}
		var demo = this.tenants.create("demo", "Demo tenant");
		String email = "admin@demo.local";
		String password = generatePassword();
		TenantScope.run(demo.id(), () -> this.tx.executeWithoutResult((s) -> this.users.insert(email,
				this.encoder.encode(password), List.of(Role.TENANT_ADMIN))));
		log.info("Created the demo tenant {} with its admin {}", demo.id(), email);
		printOnce("demo tenant admin", "demo", email, password);
	}

	private static void printOnce(String what, String tenant, String email, String password) {
		System.out.println();
		System.out.println("==== Keel first start: " + what + " (shown once, store it now) ====");
		System.out.println("  tenant:   " + tenant);
		System.out.println("  email:    " + email);
		System.out.println("  password: " + password);
		System.out.println("==========================================================");
		System.out.println();
	}

	static String generatePassword() {
		byte[] bytes = new byte[18];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
