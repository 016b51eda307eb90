using Riok.Mapperly.Abstractions;

// DTOs show a subset of an aggregate: every DTO member must be mapped, but not every aggregate member.
[assembly: MapperDefaults(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
