import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { PdfModule } from '../pdf/pdf.module';
import { HealthController } from './health.controller';

@Module({ imports: [AuthModule, PdfModule], controllers: [HealthController] })
export class HealthModule {}
