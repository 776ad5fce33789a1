package dev.keel.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import dev.keel.observability.LogContext;

class TenantScopeTests {

	@Test
	void nestedScopesRestoreTheOuterTenantAndLoggingContext() {
		UUID outer = UUID.randomUUID();
		UUID inner = UUID.randomUUID();
		TenantScope.run(outer, () -> {
			TenantScope.run(inner, () -> {
				assertThat(TenantScope.current()).isEqualTo(inner);
				assertThat(MDC.get(LogContext.TENANT_ID)).isEqualTo(inner.toString());
			});
			assertThat(TenantScope.current()).isEqualTo(outer);
			assertThat(MDC.get(LogContext.TENANT_ID)).isEqualTo(outer.toString());
		});
		assertThat(TenantScope.current()).isNull();
		assertThat(MDC.get(LogContext.TENANT_ID)).isNull();
	}

	@Test
	void aFailingTaskStillLeavesNoTenantBehind() {
		assertThatThrownBy(() -> TenantScope.run(UUID.randomUUID(), () -> {
			throw new IllegalStateException("boom");
		})).hasMessage("boom");
		assertThat(TenantScope.current()).isNull();
		assertThat(MDC.get(LogContext.TENANT_ID)).isNull();
	}

	@Test
	void refusesToEnterNoTenant() {
		assertThatThrownBy(() -> TenantScope.call(null, () -> 1)).isInstanceOf(IllegalArgumentException.class);
	}

}
