package dev.keel.observability;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ObservabilityProperties.class)
class ObservabilityConfiguration {

	/**
	 * Keeps {@code /metrics} clean for {@code promtool check metrics}: drops two meters whose units
	 * are in their names ({@code jvm_compilation_time_ms_total}, {@code process_cpu_time_ns_total};
	 * {@code process_cpu_usage} covers the latter), renames {@code system.cpu.count} (a gauge must
	 * not end in {@code _count}) and turns camelCase parts of framework meter names into snake_case.
	 */
	@Bean
	io.micrometer.core.instrument.config.MeterFilter prometheusConformingNames() {
		var deny = io.micrometer.core.instrument.config.MeterFilter.deny((id) -> id.getName().startsWith("jvm.compilation.time")
				|| id.getName().equals("process.cpu.time"));
		return new io.micrometer.core.instrument.config.MeterFilter() {
			@Override
			public io.micrometer.core.instrument.config.MeterFilterReply accept(io.micrometer.core.instrument.Meter.Id id) {
				return deny.accept(id);
			}

			@Override
			public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
				String name = id.getName();
				if (name.equals("system.cpu.count")) {
					return id.withName("system.cpu.logical.processors");
				}
				String snake = name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
				return snake.equals(name) ? id : id.withName(snake);
			}
		};
	}

	@Bean
	MetricsTokenFilter metricsTokenFilter(ObservabilityProperties properties) {
		return new MetricsTokenFilter(properties.metricsToken());
	}

	/** Keeps the metrics filter out of the servlet chain: it runs inside the security chain only. */
	@Bean
	org.springframework.boot.web.servlet.FilterRegistrationBean<MetricsTokenFilter> metricsTokenFilterRegistration(MetricsTokenFilter filter) {
		var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
		registration.setEnabled(false);
		return registration;
	}

}
