-- A latest assessment's inputs (customer-service's activity aggregates it was scored from) are
-- stored as one JSON array in the order of the aggregates' fields (docs/contracts.md; scoring's
-- Activity record), no longer as an object: the field names were two thirds of its ~700 bytes,
-- and every rescoring rewrites the inputs of every customer. Order:
--   customerId, since, kind, industry, valueTier, region
--   status, accountManagerChangedAt, ordersInWindow, ordersByBucket, amountSum, amountSumSquares
--   stabilityOrders, stabilityAmountSum, stabilityAmountSumSquares, lastOrderDate, firstOrderDate, ordersAllTime
--   spendAllTime, spendInWindow, complaintsInWindow, ticketsInWindow, meanFirstResponseHours, ticketsOpenOver7Days
--   npsPromoters, npsPassives, npsDetractors, csatMean, csatResponses
-- Rows stored as objects are converted here (a field they lack becomes null).
update assessment_latest set inputs = json_build_array(
    inputs->'customerId', inputs->'since', inputs->'kind', inputs->'industry',
    inputs->'valueTier', inputs->'region', inputs->'status', inputs->'accountManagerChangedAt',
    inputs->'ordersInWindow', inputs->'ordersByBucket', inputs->'amountSum', inputs->'amountSumSquares',
    inputs->'stabilityOrders', inputs->'stabilityAmountSum', inputs->'stabilityAmountSumSquares', inputs->'lastOrderDate',
    inputs->'firstOrderDate', inputs->'ordersAllTime', inputs->'spendAllTime', inputs->'spendInWindow',
    inputs->'complaintsInWindow', inputs->'ticketsInWindow', inputs->'meanFirstResponseHours', inputs->'ticketsOpenOver7Days',
    inputs->'npsPromoters', inputs->'npsPassives', inputs->'npsDetractors', inputs->'csatMean',
    inputs->'csatResponses')
where json_typeof(inputs) = 'object';
