import { describeScenarioExpectations } from './expectations.test-helper.ts';

describeScenarioExpectations('libsql', 4);
