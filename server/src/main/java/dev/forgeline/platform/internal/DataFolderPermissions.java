package dev.forgeline.platform.internal;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.forgeline.platform.DataFolder;
import dev.forgeline.platform.ForgelineProperties;

/** Once the embedded database is open (its files created with the process's umask), narrows them to the owner. */
@Component
class DataFolderPermissions {

    private static final Logger log = LoggerFactory.getLogger(DataFolderPermissions.class);

    private final ForgelineProperties settings;

    DataFolderPermissions(ForgelineProperties settings) {
        this.settings = settings;
    }

    @EventListener(ApplicationStartedEvent.class)
    void restrict() {
        if (settings.db().isPostgres(settings.home())) {
            return;
        }
        try {
            DataFolder.restrict(settings.home());
        } catch (IOException e) {
            log.warn("could not make the data folder {} readable by its owner only: {}", settings.home().toAbsolutePath(), e.getMessage());
        }
    }
}
