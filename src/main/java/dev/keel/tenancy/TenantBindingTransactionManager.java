package dev.keel.tenancy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;

/**
 * Binds the current tenant at the start of every transaction with
 * {@code set_config('app.tenant_id', ?, true)}: transaction-local, so a pooled connection can never
 * carry one tenant's setting into the next request. Without a tenant the setting is bound to the
 * empty string, which the policies turn into "no rows".
 */
class TenantBindingTransactionManager extends JdbcTransactionManager {

	TenantBindingTransactionManager(DataSource dataSource) {
		super(dataSource);
	}

	@Override
	protected void prepareTransactionalConnection(Connection con, TransactionDefinition definition) throws SQLException {
		super.prepareTransactionalConnection(con, definition);
		UUID tenant = TenantScope.current();
		try (PreparedStatement ps = con.prepareStatement("select set_config('app.tenant_id', ?, true)")) {
			ps.setString(1, (tenant != null) ? tenant.toString() : "");
			ps.execute();
		}
	}

}
