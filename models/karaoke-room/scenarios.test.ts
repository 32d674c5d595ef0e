import { describeScenarioExpectations } from '../../scenarios/expectations.test-helper.ts';

// Every karaoke scenario, on its fixed seeds, for every variant it declares.
describeScenarioExpectations('karaoke', 6);
