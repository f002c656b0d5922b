package dev.tessera.server.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The layer rules of ARCHITECTURE §2.3, checked on the compiled production classes. */
class LayeringTest {
    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tessera.server");
    }

    @Test
    void domainDependsOnlyOnTheJdk() {
        classes().that().resideInAPackage("dev.tessera.server.domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.tessera.server.domain..")
                .check(production);
    }

    @Test
    void applicationKnowsNoAdapterFrameworkOrOuterLayer() {
        noClasses().that().resideInAPackage("dev.tessera.server.application..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tessera.server.infrastructure..",
                        "dev.tessera.server.http..", "dev.tessera.server.cli..", "dev.tessera.server.bootstrap..",
                        "dev.tessera.server.config..", "io.javalin..", "java.sql..", "javax.sql..",
                        "com.fasterxml.jackson..")
                .check(production);
    }

    @Test
    void infrastructureNeverReachesIntoHttpOrCli() {
        noClasses().that().resideInAPackage("dev.tessera.server.infrastructure..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tessera.server.http..", "dev.tessera.server.cli..")
                .check(production);
    }

    @Test
    void httpDoesNotDependOnInfrastructure() {
        noClasses().that().resideInAPackage("dev.tessera.server.http..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tessera.server.infrastructure..",
                        "dev.tessera.server.config..", "java.sql..")
                .check(production);
    }

    @Test
    void javalinIsUsedOnlyInHttp() {
        noClasses().that().resideOutsideOfPackages("dev.tessera.server.http..", "dev.tessera.server.bootstrap..")
                .should().dependOnClassesThat().resideInAPackage("io.javalin..")
                .check(production);
    }

    @Test
    void configDependsOnNothingElseOfTessera() {
        noClasses().that().resideInAPackage("dev.tessera.server.config..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tessera.server.domain..",
                        "dev.tessera.server.application..", "dev.tessera.server.infrastructure..",
                        "dev.tessera.server.http..", "dev.tessera.server.cli..", "dev.tessera.server.bootstrap..")
                .check(production);
    }

    @Test
    void storeAdaptersAreConstructedOnlyInBootstrap() {
        noClasses().that().resideOutsideOfPackages("dev.tessera.server.bootstrap..", "dev.tessera.server.infrastructure.store..")
                .should().callConstructorWhere(com.tngtech.archunit.core.domain.JavaConstructorCall.Predicates
                        .target(com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With
                                .owner(com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith("Jdbc"))))
                .check(production);
    }
}
