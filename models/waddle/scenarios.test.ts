import { describeScenarioExpectations } from '../../scenarios/expectations.test-helper.ts';

// Every waddle scenario, on its fixed seeds, for every variant it declares.
describeScenarioExpectations('waddle', 4);
