import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { PdfRendererModule } from '../evidence-packs/pdf-renderer.module';
import { HealthController } from './health.controller';

@Module({ imports: [AuthModule, PdfRendererModule], controllers: [HealthController] })
export class HealthModule {}
