import { describeScenarioExpectations } from '../../scenarios/expectations.test-helper.ts';

// Every lock-* scenario (option A), on its fixed seeds, for every variant it declares.
describeScenarioExpectations('lock', 5);
