package dev.keel.observability;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ObservabilityProperties.class)
class ObservabilityConfiguration {

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
