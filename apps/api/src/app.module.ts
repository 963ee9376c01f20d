import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ChangeSets, Registry } from '../../../libs/application/src';
import { EventStore } from '../../../libs/event-store/src';
import { ChangeSetsProjection, EditionsProjection, ProjectionRunner, RegistryProjection, StaffingProjection } from '../../../libs/projections/src';
import { EditionsController } from './editions/editions.controller';
import { ChangeSetsController } from './change-sets/change-sets.controller';
import { PublicController } from './public/public.controller';
import { StaffingController } from './staffing/staffing.controller';
import { AuthGuard } from './auth/auth.guard';
import { TokenVerifier } from './auth/tokens';
import { ErrorsFilter } from './http/errors.filter';
import { Commands } from './shared/domain-command';
import { CONFIG, EVENT_STORE } from './shared/tokens';
import { ImportAdmission, ImportQueue } from './imports/import-queue';
import { FindingsBudget } from './findings/findings-budget';
import { QuanzeConfig } from '../../../libs/runtime/src';
import { RegionsController } from './regions/regions.controller';
import { CatalogController } from './catalog/catalog.controller';
import { DepartmentsController } from './departments/departments.controller';
import { AssignmentsController } from './assignments/assignments.controller';
import { OwnershipController } from './ownership/ownership.controller';
import { HealthController } from './health/health.controller';
import { BoundariesController } from './boundaries/boundaries.controller';
import { EventsController } from './events/events.controller';
import { ListsController } from './lists/lists.controller';
import { HistoryController } from './history/history.controller';
import { ReportsController } from './reports/reports.controller';
import { ConformanceController, FindingsController, GapsController, OverlapsController } from './findings/findings.controller';
import { ImportsController } from './imports/imports.controller';
import { SessionController } from './browse/session.controller';
import { RegionsBrowseController } from './browse/regions-browse.controller';
import { CatalogBrowseController } from './browse/catalog-browse.controller';
import { TimelineController } from './browse/timeline.controller';
import { VersionsController } from './browse/versions.controller';
import { Metrics } from './observability/metrics';
import { MetricsController } from './observability/metrics.controller';
import { CommandLogInterceptor } from './observability/request-log';

/** What the shell is built around: opened before Nest starts, closed after it stops. */
export interface Core {
  config: QuanzeConfig;
  store: EventStore;
  registry: Registry;
  view: RegistryProjection;
  staffing: StaffingProjection;
  editions: EditionsProjection;
  changeSets: ChangeSetsProjection;
  runner: ProjectionRunner;
  tokens: TokenVerifier;
  metrics: Metrics;
}

@Module({})
export class AppModule {
  static forRoot(core: Core): DynamicModule {
    return {
      module: AppModule,
      controllers: [
        RegionsController,
        CatalogController,
        DepartmentsController,
        AssignmentsController,
        BoundariesController,
        EventsController,
        OwnershipController,
        ListsController,
        HistoryController,
        ReportsController,
        OverlapsController,
        GapsController,
        ConformanceController,
        FindingsController,
        ImportsController,
        HealthController,
        SessionController,
        RegionsBrowseController,
        CatalogBrowseController,
        TimelineController,
        VersionsController,
        StaffingController,
        EditionsController,
        ChangeSetsController,
        PublicController,
        MetricsController,
      ],
      providers: [
        { provide: CONFIG, useValue: core.config },
        { provide: EVENT_STORE, useValue: core.store },
        { provide: Registry, useValue: core.registry },
        { provide: RegistryProjection, useValue: core.view },
        { provide: StaffingProjection, useValue: core.staffing },
        { provide: EditionsProjection, useValue: core.editions },
        { provide: ChangeSetsProjection, useValue: core.changeSets },
        { provide: ChangeSets, useValue: new ChangeSets(core.store, core.registry) },
        { provide: ProjectionRunner, useValue: core.runner },
        { provide: TokenVerifier, useValue: core.tokens },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorsFilter },
        { provide: APP_INTERCEPTOR, useClass: CommandLogInterceptor },
        { provide: Metrics, useValue: core.metrics },
        Commands,
        FindingsBudget,
        ImportQueue,
        ImportAdmission,
      ],
    };
  }
}
