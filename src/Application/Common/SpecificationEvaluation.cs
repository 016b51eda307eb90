using Ardalis.Specification;
using Microsoft.EntityFrameworkCore;

namespace OneInbox.Application.Common;

/// <summary>
/// Applies an Ardalis specification to an EF query: criteria, ordering, paging and tracking. It stands in
/// for Ardalis.Specification.EntityFrameworkCore, which is not available here.
/// </summary>
public static class SpecificationEvaluation
{
    public static IQueryable<T> WithSpecification<T>(this IQueryable<T> query, ISpecification<T> specification)
        where T : class
    {
        query = WhereEvaluator.Instance.GetQuery(query, specification);
        query = OrderEvaluator.Instance.GetQuery(query, specification);
        query = PaginationEvaluator.Instance.GetQuery(query, specification);
        return specification.AsNoTracking ? query.AsNoTracking() : query;
    }
}
