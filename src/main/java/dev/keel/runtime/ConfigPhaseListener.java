package dev.keel.runtime;

import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;

/** Logs phase 1 as soon as logging is up: the catalog was checked before the context was even created. */
class ConfigPhaseListener implements ApplicationListener<ApplicationPreparedEvent> {

	@Override
	public void onApplicationEvent(ApplicationPreparedEvent event) {
		var env = event.getApplicationContext().getEnvironment();
		if (!env.getProperty("keel.cli", Boolean.class, false)) {
			BootstrapPhases.log(1, "config", "valid for APP_ENV=" + env.getProperty("keel.env", "dev") + " ("
					+ ConfigCatalog.settings().size() + " settings checked)");
		}
	}

}
