package dev.forgeline;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;

/**
 * The Forgeline server. Each top-level package below this one is a module (see docs/architecture.md);
 * it is started through the command line in {@link dev.forgeline.cli.ForgelineCommand}.
 */
// No in-memory user with a generated password: accounts live in the database (identity module).
@SpringBootApplication(excludeName = "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration")
@ConfigurationPropertiesScan
@Modulithic(systemName = "Forgeline", sharedModules = {"platform", "schema"})
public class ForgelineApplication {

    /** For the build's ahead-of-time processing, which starts the application through its own main. */
    public static void main(String[] args) {
        SpringApplication.run(ForgelineApplication.class, args);
    }
}
