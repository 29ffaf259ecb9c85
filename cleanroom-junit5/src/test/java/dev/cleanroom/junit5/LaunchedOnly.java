package dev.cleanroom.junit5;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fixture class that only {@link Launch} runs: skipped when Surefire picks it up by itself
 * (as {@code -Dtest=dev.cleanroom.junit5.**} does with nested classes), where the conditions its
 * test sets up around it are missing. Conditions are checked before the extension's beforeAll.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LaunchedOnly.Condition.class)
@interface LaunchedOnly {

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(Launch.FIXTURE_PARAMETER).isPresent()
                    ? ConditionEvaluationResult.enabled("launched by its test")
                    : ConditionEvaluationResult.disabled("a fixture: only its test runs it, through Launch");
        }
    }
}
