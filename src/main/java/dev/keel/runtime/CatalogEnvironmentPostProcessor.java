package dev.keel.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Turns the operator's environment variables into Keel's typed properties before any bean exists.
 * Explicit values rank above application.yml; defaults rank below everything, so a test or a
 * profile file can still override them. An invalid configuration stops start-up with every problem.
 */
class CatalogEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String EXPLICIT = "keelSettings";

	static final String DEFAULTS = "keelSettingDefaults";

	@Override
	public int getOrder() {
		// After config data (application.yml) is loaded, so test and profile files are visible.
		return Ordered.LOWEST_PRECEDENCE - 10;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		ConfigReport report = ConfigCatalog.validate(environment::getProperty);
		if (!report.valid()) {
			throw new InvalidConfigurationException(report);
		}
		Map<String, Object> explicit = new LinkedHashMap<>();
		Map<String, Object> defaults = new LinkedHashMap<>();
		for (Setting s : ConfigCatalog.settings()) {
			String value = report.properties().get(s.property());
			if (value == null) {
				continue;
			}
			boolean given = environment.getProperty(s.env()) != null || environment.getProperty(s.env() + "_FILE") != null;
			(given ? explicit : defaults).put(s.property(), value);
		}
		AppEnvironment env = report.env();
		defaults.putIfAbsent("keel.observability.log-format", (env == AppEnvironment.DEV) ? "text" : "json");
		defaults.putIfAbsent("keel.tenancy.bootstrap-demo-tenant", Boolean.toString(env == AppEnvironment.DEV));
		if (env != AppEnvironment.DEV) {
			defaults.putIfAbsent("keel.web.cors-origins", "");
		}
		else {
			defaults.putIfAbsent("keel.web.cors-origins", "*");
		}
		var sources = environment.getPropertySources();
		if (sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
			sources.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new MapPropertySource(EXPLICIT, explicit));
		}
		else {
			sources.addFirst(new MapPropertySource(EXPLICIT, explicit));
		}
		sources.addLast(new MapPropertySource(DEFAULTS, defaults));
		if (!environment.matchesProfiles(env.id())) {
			environment.addActiveProfile(env.id());
		}
	}

}
