package dev.keel.tenancy;

import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.MDC;

import dev.keel.observability.LogContext;

/**
 * The tenant the current thread acts for. Code runs "in" a tenant with {@link #run}/{@link #call};
 * transactions started inside bind it in PostgreSQL. Background code has no tenant until it asks
 * for one explicitly, and with no tenant bound, tenant tables return no rows.
 */
public final class TenantScope {

	/** The platform tenant: platform admins belong to it. */
	public static final UUID PLATFORM = UUID.fromString("00000000-0000-0000-0000-000000000001");

	private static final ThreadLocal<UUID> CURRENT = new ThreadLocal<>();

	private TenantScope() {
	}

	public static UUID current() {
		return CURRENT.get();
	}

	public static <T> T call(UUID tenantId, Supplier<T> work) {
		try (Binding binding = enter(tenantId)) {
			return work.get();
		}
	}

	/**
	 * Enters a tenant until the returned binding is closed (for filters whose work throws checked
	 * exceptions); use with try-with-resources.
	 */
	public static Binding enter(UUID tenantId) {
		if (tenantId == null) {
			throw new IllegalArgumentException("tenantId must not be null");
		}
		UUID previous = CURRENT.get();
		String previousMdc = MDC.get(LogContext.TENANT_ID);
		CURRENT.set(tenantId);
		MDC.put(LogContext.TENANT_ID, tenantId.toString());
		return () -> {
			if (previous == null) {
				CURRENT.remove();
			}
			else {
				CURRENT.set(previous);
			}
			if (previousMdc == null) {
				MDC.remove(LogContext.TENANT_ID);
			}
			else {
				MDC.put(LogContext.TENANT_ID, previousMdc);
			}
		};
	}

	/** An entered tenant; closing it restores the previous one. */
	@FunctionalInterface
	public interface Binding extends AutoCloseable {

		@Override
		void close();

	}

	public static void run(UUID tenantId, Runnable work) {
		call(tenantId, () -> {
			work.run();
			return null;
		});
	}

}
