import { describeScenarioExpectations } from '../../scenarios/expectations.test-helper.ts';

// Every hybrid-* scenario, on its fixed seeds, for every variant it declares.
describeScenarioExpectations('hybrid', 6);
